using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Reflection;
using System.Text;
using System.Text.Json;

namespace LlamaSwap.Bench;

/// <summary>
/// Runs the whole product (through the AppHost) and the test upstream, and measures in one run:
/// added latency of the chain vs the upstream called directly, time from an upstream's first
/// healthy answer to the forwarded request, and the first-SSE-chunk delay the chain adds.
/// </summary>
internal static class Program
{
    internal const string ApiKey = "bench-key";

    public static async Task<int> Main(string[] args)
    {
        if (args.Contains("--real-upstream"))
        {
            return await RealUpstreamBench.RunAsync(args);
        }

        if (args.Contains("--node"))
        {
            return await NodeChainBench.RunAsync(args);
        }

        var requests = ArgValue(args, "--requests", 2000);
        var swaps = ArgValue(args, "--swaps", 10);
        var streams = ArgValue(args, "--streams", 200);
        var root = Metadata("LlamaSwapRepoRoot");
        var configuration = Metadata("LlamaSwapConfiguration");
        var work = Directory.CreateTempSubdirectory("llamaswap-bench-").FullName;
        var upstreamDll = Path.Combine(root, "tools", "LlamaSwap.TestUpstream", "bin", configuration, "net10.0", "LlamaSwap.TestUpstream.dll");
        var echoPort = FreePort();
        var streamPort = FreePort();
        var coldPort = FreePort();
        var yaml = $"""
            healthCheckTimeout: 30
            apiKeys: ["{ApiKey}"]
            models:
              echo:
                cmd: dotnet {upstreamDll} --port {echoPort} --model echo --respond "ok"
                proxy: http://127.0.0.1:{echoPort}
              stream:
                cmd: dotnet {upstreamDll} --port {streamPort} --model stream --respond "a b c d e" --chunks 5 --chunk-delay-ms 20
                proxy: http://127.0.0.1:{streamPort}
              cold:
                cmd: dotnet {upstreamDll} --port {coldPort} --model cold --startup-delay-ms 700 --events-file {work}/cold.events.jsonl
                proxy: http://127.0.0.1:{coldPort}
            groups:
              resident:
                swap: false
                exclusive: false
                members: [echo, stream, cold]
            """;
        var configPath = Path.Combine(work, "bench.yaml");
        await File.WriteAllTextAsync(configPath, yaml);

        var gatewayPort = FreePort();
        var proxyPort = FreePort();
        var supervisorPort = FreePort();
        var quietGatewayPort = FreePort();
        var recordingGatewayPort = FreePort();
        using var appHost = StartAppHost(root, configuration, configPath, gatewayPort, proxyPort, supervisorPort);
        Process? quietGateway = null;
        Process? recordingGateway = null;
        try
        {
            using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false, PooledConnectionLifetime = Timeout.InfiniteTimeSpan })
            {
                Timeout = TimeSpan.FromSeconds(60),
            };
            var front = $"http://127.0.0.1:{proxyPort}";
            var gateway = $"http://127.0.0.1:{gatewayPort}";
            await WaitHealthyAsync(http, front + "/health", appHost);

            // Two more gateways on the same supervisor, identical but for activity recording (tee,
            // parsing, captures): the same-run A/B for what recording costs.
            var quiet = $"http://127.0.0.1:{quietGatewayPort}";
            var recording = $"http://127.0.0.1:{recordingGatewayPort}";
            quietGateway = StartExtraGateway(root, configuration, configPath, quietGatewayPort, supervisorPort, recording: false);
            recordingGateway = StartExtraGateway(root, configuration, configPath, recordingGatewayPort, supervisorPort, recording: true);
            await WaitHealthyAsync(http, quiet + "/health", quietGateway);
            await WaitHealthyAsync(http, recording + "/health", recordingGateway);

            Console.Error.WriteLine("bench: warming up");
            await ChatAsync(http, front, "echo", auth: true);
            await ChatAsync(http, front, "stream", auth: true, stream: true);
            for (var i = 0; i < 300; i++)
            {
                await ChatAsync(http, $"http://127.0.0.1:{echoPort}", "echo", auth: false);
                await ChatAsync(http, front, "echo", auth: true);
                await ChatAsync(http, gateway, "echo", auth: false);
                await ChatAsync(http, quiet, "echo", auth: false);
                await ChatAsync(http, recording, "echo", auth: false);
            }

            Console.Error.WriteLine($"bench: {requests} sequential requests per path, interleaved");
            var direct = new List<double>(requests);
            var viaGateway = new List<double>(requests);
            var viaChain = new List<double>(requests);
            var viaQuietGateway = new List<double>(requests);
            var viaRecordingGateway = new List<double>(requests);
            for (var i = 0; i < requests; i++)
            {
                direct.Add(await ChatAsync(http, $"http://127.0.0.1:{echoPort}", "echo", auth: false));
                viaGateway.Add(await ChatAsync(http, gateway, "echo", auth: false));

                // Alternate which of the A/B pair goes first, so neither always follows the other.
                var (first, firstList, second, secondList) = i % 2 == 0
                    ? (quiet, viaQuietGateway, recording, viaRecordingGateway)
                    : (recording, viaRecordingGateway, quiet, viaQuietGateway);
                firstList.Add(await ChatAsync(http, first, "echo", auth: false));
                secondList.Add(await ChatAsync(http, second, "echo", auth: false));
                viaChain.Add(await ChatAsync(http, front, "echo", auth: true));
            }

            Console.Error.WriteLine($"bench: {streams} streaming requests per path, time to first chunk");
            var directFirst = new List<double>(streams);
            var chainFirst = new List<double>(streams);
            var gatewayStream = new List<double>(streams);
            var quietGatewayStream = new List<double>(streams);
            for (var i = 0; i < streams; i++)
            {
                directFirst.Add(await ChatAsync(http, $"http://127.0.0.1:{streamPort}", "stream", auth: false, stream: true));
                var (first, firstList, second, secondList) = i % 2 == 0
                    ? (quiet, quietGatewayStream, recording, gatewayStream)
                    : (recording, gatewayStream, quiet, quietGatewayStream);
                firstList.Add(await ChatAsync(http, first, "stream", auth: false, stream: true));
                secondList.Add(await ChatAsync(http, second, "stream", auth: false, stream: true));
                chainFirst.Add(await ChatAsync(http, front, "stream", auth: true, stream: true));
            }

            Console.Error.WriteLine($"bench: {swaps} cold starts of a model with a 700 ms start-up");
            var readiness = new List<double>(swaps);
            var coldTotal = new List<double>(swaps);
            var eventsFile = Path.Combine(work, "cold.events.jsonl");
            for (var i = 0; i < swaps; i++)
            {
                using (var unload = new HttpRequestMessage(HttpMethod.Post, front + "/api/models/unload/cold"))
                {
                    unload.Headers.Authorization = new("Bearer", ApiKey);
                    (await http.SendAsync(unload)).EnsureSuccessStatusCode();
                }

                coldTotal.Add(await ChatAsync(http, front, "cold", auth: true));
                var events = File.ReadAllLines(eventsFile).Select(l => JsonDocument.Parse(l).RootElement).ToList();
                var healthy = events.Last(e => e.GetProperty("event").GetString() == "healthy").GetProperty("time").GetDateTime();
                var arrived = events.Last(e => e.GetProperty("event").GetString() == "request-start").GetProperty("time").GetDateTime();
                readiness.Add((arrived - healthy).TotalMilliseconds);
            }

            Report(requests, direct, viaGateway, viaChain, streams, directFirst, chainFirst, swaps, readiness, coldTotal);
            ReportRecording(requests, direct, viaQuietGateway, viaRecordingGateway, streams, quietGatewayStream, gatewayStream);
            return 0;
        }
        finally
        {
            foreach (var extra in new[] { quietGateway, recordingGateway })
            {
                if (extra is null)
                {
                    continue;
                }

                Signal(extra.Id, 15);
                if (!extra.WaitForExit(30_000))
                {
                    extra.Kill(entireProcessTree: true);
                }

                extra.Dispose();
            }

            Signal(appHost.Id, 15);
            if (!appHost.WaitForExit(30_000))
            {
                appHost.Kill(entireProcessTree: true);
            }

            Directory.Delete(work, recursive: true);
        }
    }

    private static void Report(
        int requests, List<double> direct, List<double> viaGateway, List<double> viaChain,
        int streams, List<double> directFirst, List<double> chainFirst,
        int swaps, List<double> readiness, List<double> coldTotal)
    {
        var sb = new StringBuilder();
        sb.AppendLine(CultureInfo.InvariantCulture, $"Measured {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC on {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}.");
        sb.AppendLine();
        sb.AppendLine(CultureInfo.InvariantCulture, $"### Added latency, non-streaming chat completion ({requests} sequential requests per path, interleaved)");
        sb.AppendLine();
        sb.AppendLine("| path | p50 ms | p99 ms | added p50 ms | added p99 ms | p50 ratio vs direct |");
        sb.AppendLine("|---|---|---|---|---|---|");
        Row(sb, "test upstream directly (baseline)", direct, direct);
        Row(sb, "gateway -> supervisor -> upstream", viaGateway, direct);
        Row(sb, "auth proxy -> gateway -> supervisor -> upstream", viaChain, direct);
        sb.AppendLine();
        sb.AppendLine(CultureInfo.InvariantCulture, $"### Time to first SSE chunk ({streams} streaming requests per path)");
        sb.AppendLine();
        sb.AppendLine("| path | p50 ms | p99 ms | added p50 ms | added p99 ms | p50 ratio vs direct |");
        sb.AppendLine("|---|---|---|---|---|---|");
        Row(sb, "test upstream directly (baseline)", directFirst, directFirst);
        Row(sb, "full chain", chainFirst, directFirst);
        sb.AppendLine();
        sb.AppendLine(CultureInfo.InvariantCulture, $"### Readiness: upstream's first healthy answer -> the waiting request arrives at the upstream ({swaps} cold starts)");
        sb.AppendLine();
        sb.AppendLine("| metric | p50 ms | max ms |");
        sb.AppendLine("|---|---|---|");
        sb.AppendLine(CultureInfo.InvariantCulture, $"| first `/health` 200 -> request forwarded | {Percentile(readiness, 50):F1} | {readiness.Max():F1} |");
        sb.AppendLine(CultureInfo.InvariantCulture, $"| whole cold request (700 ms simulated load + process start) | {Percentile(coldTotal, 50):F1} | {coldTotal.Max():F1} |");
        Console.WriteLine(sb.ToString());
    }

    private static void ReportRecording(
        int requests, List<double> direct, List<double> quiet, List<double> recording,
        int streams, List<double> quietStream, List<double> recordingStream)
    {
        var sb = new StringBuilder();
        sb.AppendLine(CultureInfo.InvariantCulture, $"### Cost of activity recording and captures (two otherwise identical gateways on one supervisor, interleaved in alternating order; {requests} chats, {streams} streams)");
        sb.AppendLine();
        sb.AppendLine("| path | p50 ms | p99 ms | added p50 ms | added p99 ms | p50 ratio vs direct |");
        sb.AppendLine("|---|---|---|---|---|---|");
        Row(sb, "test upstream directly (baseline)", direct, direct);
        Row(sb, "gateway, recording off (Gateway__Activity__Enabled=false)", quiet, direct);
        Row(sb, "gateway, recording on (the default)", recording, direct);
        Row(sb, "first SSE chunk, recording off (baseline for the next row)", quietStream, quietStream);
        Row(sb, "first SSE chunk, recording on", recordingStream, quietStream);
        var overhead = Percentile(quiet, 50) - Percentile(direct, 50);
        var recordingOverhead = Percentile(recording, 50) - Percentile(direct, 50);
        sb.AppendLine();
        sb.AppendLine(CultureInfo.InvariantCulture, $"Gateway proxy overhead at p50: {overhead:F3} ms with recording off, {recordingOverhead:F3} ms with it on ({(recordingOverhead / overhead - 1) * 100:+0.0;-0.0}% overhead change); first SSE chunk p50 ratio on/off {Percentile(recordingStream, 50) / Percentile(quietStream, 50):F3}x.");
        Console.WriteLine(sb.ToString());
    }

    private static Process StartExtraGateway(string root, string configuration, string config, int port, int supervisorPort, bool recording)
    {
        var info = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(Path.Combine(root, "LlamaSwap.Gateway", "bin", configuration, "net10.0", "LlamaSwap.Gateway.dll"));
        info.Environment["LLAMASWAP_CONFIG"] = config;
        info.Environment["services__supervisor__http__0"] = $"http://127.0.0.1:{supervisorPort}";
        info.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        info.Environment["Gateway__Activity__Enabled"] = recording ? "true" : "false";
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        var name = recording ? "[recording gateway] " : "[quiet gateway] ";
        return StartEchoed(info, name);
    }

    internal static void Row(StringBuilder sb, string name, List<double> values, List<double> baseline)
    {
        var p50 = Percentile(values, 50);
        var p99 = Percentile(values, 99);
        var b50 = Percentile(baseline, 50);
        var b99 = Percentile(baseline, 99);
        sb.AppendLine(CultureInfo.InvariantCulture, $"| {name} | {p50:F3} | {p99:F3} | {p50 - b50:F3} | {p99 - b99:F3} | {p50 / b50:F2}x |");
    }

    internal static double Percentile(List<double> values, double percentile)
    {
        var sorted = values.Order().ToArray();
        var rank = (int)Math.Ceiling(percentile / 100 * sorted.Length) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Length - 1)];
    }

    /// <summary>Returns milliseconds until the full response (or, when streaming, the first data chunk) was read.</summary>
    private static async Task<double> ChatAsync(HttpClient http, string baseUrl, string model, bool auth, bool stream = false)
    {
        var body = $$"""{"model":"{{model}}","stream":{{(stream ? "true" : "false")}},"messages":[{"role":"user","content":"hello"}]}""";
        using var request = new HttpRequestMessage(HttpMethod.Post, baseUrl + "/v1/chat/completions")
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        if (auth)
        {
            request.Headers.Authorization = new("Bearer", ApiKey);
        }

        var started = Stopwatch.GetTimestamp();
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"{baseUrl} {model}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }

        await using var content = await response.Content.ReadAsStreamAsync();
        if (!stream)
        {
            await content.CopyToAsync(Stream.Null);
            return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }

        using var reader = new StreamReader(content);
        double? first = null;
        while (await reader.ReadLineAsync() is { } line)
        {
            if (first is null && line.StartsWith("data:", StringComparison.Ordinal))
            {
                first = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            }
        }

        return first ?? throw new InvalidOperationException("no SSE data received");
    }

    /// <param name="environment">Set on the AppHost, whose services inherit it (e.g. <c>AuthProxy__Limits__...</c>).</param>
    internal static Process StartAppHost(string root, string configuration, string config, int gatewayPort, int proxyPort, int supervisorPort, IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[]
        {
            Path.Combine(root, "LlamaSwap.AppHost", "bin", configuration, "net10.0", "LlamaSwap.AppHost.dll"),
            "--config", config, "--port", gatewayPort.ToString(CultureInfo.InvariantCulture), "--proxy-port", proxyPort.ToString(CultureInfo.InvariantCulture),
            "--supervisor-port", supervisorPort.ToString(CultureInfo.InvariantCulture),
        })
        {
            info.ArgumentList.Add(arg);
        }

        // As the README runs it (dashboard on: every service exports traces and metrics to it), or
        // with LLAMASWAP_BENCH_NO_DASHBOARD=1 without dashboard and so without any export.
        if (Environment.GetEnvironmentVariable("LLAMASWAP_BENCH_NO_DASHBOARD") == "1")
        {
            info.ArgumentList.Add("--no-dashboard");
        }

        // The services' own request logging would measure the console, not the proxy.
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }

        return StartEchoed(info, "");
    }

    /// <summary>Starts the process with its output copied to stderr, each line prefixed, so stdout stays the report.</summary>
    internal static Process StartEchoed(ProcessStartInfo info, string prefix)
    {
        var process = Process.Start(info) ?? throw new InvalidOperationException($"{info.FileName} {prefix}did not start");
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { Console.Error.WriteLine("  " + prefix + e.Data); } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { Console.Error.WriteLine("  " + prefix + e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>Runs a short command to its end and returns its stdout and stderr together (version lines).</summary>
    internal static string RunQuiet(string file, string argument)
    {
        using var process = Process.Start(new ProcessStartInfo(file, argument) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true })!;
        var text = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit();
        return text;
    }

    internal static async Task WaitHealthyAsync(HttpClient http, string url, Process appHost)
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            if (appHost.HasExited)
            {
                throw new InvalidOperationException($"AppHost exited with {appHost.ExitCode}");
            }

            try
            {
                using var response = await http.GetAsync(url);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"{url} did not become healthy");
    }

    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    internal static void Signal(int pid, int signal)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", $"-{signal} {pid}") { UseShellExecute = false });
        kill?.WaitForExit();
    }

    internal static int ArgValue(string[] args, string name, int fallback)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
    }

    internal static string Metadata(string key)
        => typeof(Program).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;
}
