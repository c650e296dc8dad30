using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using LlamaSwap.Core.Http;

namespace LlamaSwap.Bench;

/// <summary>
/// <c>--real-upstream</c>: the real llama.cpp llama-server builds in <c>../shared/llama-server</c> behind
/// the whole chain, each measured in one run against its baselines: the best direct client (kept
/// alive, acknowledging at once), a plain kept-alive HttpClient, and nginx one hop in front of the
/// same llama-server. Needs nginx on PATH (and tshark for the packet-capture check).
/// </summary>
internal static class RealUpstreamBench
{
    private const string ChatBody = """{"model":"{0}","max_tokens":{1},"stream":{2},"messages":[{"role":"user","content":"hello there"}]}""";

    private static readonly string[] Builds = ["b4750", "b10309"];

    public static async Task<int> RunAsync(string[] args)
    {
        var requests = Program.ArgValue(args, "--requests", 200);
        var swaps = Program.ArgValue(args, "--swaps", 10);
        var streams = Program.ArgValue(args, "--streams", 50);
        var root = Program.Metadata("LlamaSwapRepoRoot");
        var shared = Path.GetFullPath(Path.Combine(root, "..", "shared", "llama-server"));
        if (!File.Exists(Path.Combine(shared, "tiny.gguf")))
        {
            Console.Error.WriteLine($"bench: {shared}/tiny.gguf is missing: the real-upstream bench needs ../shared/llama-server beside the checkout");
            return 2;
        }

        if (Which("nginx") is null)
        {
            Console.Error.WriteLine("bench: nginx is not on PATH (apt-get install nginx): it is the one-hop baseline");
            return 2;
        }

        var report = new StringBuilder();
        report.AppendLine(CultureInfo.InvariantCulture, $"Measured {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC on {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}; llama-server with default flags (`-c 512 -t 1`), tiny.gguf.");
        report.AppendLine();
        foreach (var build in Builds)
        {
            await RunBuildAsync(report, root, shared, build, requests, swaps, streams);
        }

        Console.WriteLine(report.ToString());
        return 0;
    }

    private static async Task RunBuildAsync(StringBuilder report, string root, string shared, string build, int requests, int swaps, int streams)
    {
        var binary = Path.Combine(shared, build, "llama-server");
        var model = Path.Combine(shared, "tiny.gguf");
        var work = Directory.CreateTempSubdirectory("llamaswap-bench-real-").FullName;
        var portA = Program.FreePort();
        var portB = Program.FreePort();
        string Cmd(int port) => $"{binary} -m {model} --host 127.0.0.1 --port {port} -c 512 -t 1";

        Console.Error.WriteLine($"bench [{build}]: llama-server's own spawn-to-healthy time, {swaps} starts");
        var ownStart = new List<double>(swaps);
        for (var i = 0; i < swaps; i++)
        {
            ownStart.Add(await SpawnToHealthyAsync(binary, model, portB));
        }

        var configPath = Path.Combine(work, "bench.yaml");
        await File.WriteAllTextAsync(configPath, $"""
            healthCheckTimeout: 60
            apiKeys: ["{Program.ApiKey}"]
            models:
              a:
                cmd: {Cmd(portA)}
                proxy: http://127.0.0.1:{portA}
                concurrencyLimit: 64
              b:
                cmd: {Cmd(portB)}
                proxy: http://127.0.0.1:{portB}
                concurrencyLimit: 64
            groups:
              pair:
                swap: true
                exclusive: true
                members: [a, b]
            """);

        var gatewayPort = Program.FreePort();
        var proxyPort = Program.FreePort();
        var nginxPort = Program.FreePort();
        using var appHost = Program.StartAppHost(root, Program.Metadata("LlamaSwapConfiguration"), configPath, gatewayPort, proxyPort, Program.FreePort());
        Process? nginx = null;
        try
        {
            using var best = new HttpClient(new SocketsHttpHandler { UseProxy = false, ConnectCallback = QuickAckConnectAsync }) { Timeout = TimeSpan.FromSeconds(120) };
            using var plain = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(120) };
            var front = $"http://127.0.0.1:{proxyPort}";
            var direct = $"http://127.0.0.1:{portA}";
            var viaNginx = $"http://127.0.0.1:{nginxPort}";
            await Program.WaitHealthyAsync(best, front + "/health", appHost);
            nginx = Nginx.Start(work, Nginx.Server(nginxPort, $"http://127.0.0.1:{portA}"));

            // Load a through the chain; then every path reaches the same llama-server.
            await ChatAsync(best, front, "a", auth: true, maxTokens: 1, stream: false);
            await Nginx.WaitListeningAsync(best, viaNginx + "/health", nginx);

            Console.Error.WriteLine($"bench [{build}]: {requests} non-streaming max_tokens=1 requests per path, in rotating blocks of 10");
            var paths = new (string Name, HttpClient Client, string Url, bool Auth, List<double> Times)[]
            {
                ("llama-server directly, kept alive + TCP_QUICKACK (best direct client; baseline)", best, direct, false, []),
                ("llama-server directly, plain kept-alive HttpClient", plain, direct, false, []),
                ("nginx one hop (default proxy_pass: a new upstream connection per request)", best, viaNginx, false, []),
                ("auth proxy -> gateway -> llama-server (full chain)", best, front, true, []),
            };
            for (var warm = 0; warm < 20; warm++)
            {
                foreach (var path in paths)
                {
                    await ChatAsync(path.Client, path.Url, "a", path.Auth, maxTokens: 1, stream: false);
                }
            }

            for (var done = 0; done < requests; done += 10)
            {
                foreach (var path in paths)
                {
                    for (var i = 0; i < 10; i++)
                    {
                        path.Times.Add((await ChatAsync(path.Client, path.Url, "a", path.Auth, maxTokens: 1, stream: false)).Total);
                    }
                }
            }

            Console.Error.WriteLine($"bench [{build}]: {streams} streams per path, time to first token");
            var firstDirect = new List<double>();
            var firstNginx = new List<double>();
            var firstChain = new List<double>();
            for (var i = 0; i < streams; i++)
            {
                firstDirect.Add((await ChatAsync(best, direct, "a", false, maxTokens: 4, stream: true)).First);
                firstNginx.Add((await ChatAsync(best, viaNginx, "a", false, maxTokens: 4, stream: true)).First);
                firstChain.Add((await ChatAsync(best, front, "a", true, maxTokens: 4, stream: true)).First);
            }

            Console.Error.WriteLine($"bench [{build}]: streamed tokens/s at 1 and 32 concurrent streams");
            var rates = new List<(string Name, double Direct, double Chain, string Failures)>();
            foreach (var concurrency in new[] { 1, 32 })
            {
                var directRate = new List<double>();
                var chainRate = new List<double>();
                var failures = new List<string>();
                for (var round = 0; round < 3; round++)
                {
                    foreach (var (list, url, auth, name) in new[] { (directRate, direct, false, "direct"), (chainRate, front, true, "chain") })
                    {
                        var (rate, failed, error) = await TokensPerSecondAsync(best, url, auth, concurrency);
                        list.Add(rate);
                        if (failed > 0)
                        {
                            failures.Add($"{name} round {round + 1}: {failed} of {concurrency} failed ({error})");
                        }
                    }
                }

                rates.Add(($"{concurrency} concurrent", Program.Percentile(directRate, 50), Program.Percentile(chainRate, 50), failures.Count == 0 ? "none" : string.Join("; ", failures)));
            }

            var gaps = await CaptureGapsAsync(best, front, portA, 100);

            Console.Error.WriteLine($"bench [{build}]: {swaps} swaps a <-> b through the chain");
            var swapTimes = new List<double>(swaps);
            var underReported = new List<double>(swaps);
            for (var i = 0; i < swaps; i++)
            {
                var target = i % 2 == 0 ? "b" : "a";
                var result = await ChatAsync(best, front, target, auth: true, maxTokens: 1, stream: false);
                swapTimes.Add(result.Total);
                underReported.Add(result.HeadersWait - result.HeaderSum);
            }

            // The swaps' requests include one max_tokens=1 answer: compare like with like.
            var answer = Program.Percentile(paths[0].Times, 50);
            var own = Program.Percentile(ownStart, 50);
            var swap = Program.Percentile(swapTimes, 50);

            report.AppendLine(CultureInfo.InvariantCulture, $"### llama-server {build}");
            report.AppendLine();
            report.AppendLine(CultureInfo.InvariantCulture, $"Non-streaming chat, `max_tokens: 1` ({requests} requests per path, rotating blocks of 10 so each client sends back to back):");
            report.AppendLine();
            report.AppendLine("| path | p50 ms | p99 ms | added p50 ms | added p99 ms | p50 ratio |");
            report.AppendLine("|---|---|---|---|---|---|");
            foreach (var path in paths)
            {
                Program.Row(report, path.Name, path.Times, paths[0].Times);
            }

            report.AppendLine();
            report.AppendLine(CultureInfo.InvariantCulture, $"Chain vs nginx one hop: added p50 {Program.Percentile(paths[3].Times, 50) - Program.Percentile(paths[0].Times, 50):F3} ms vs {Program.Percentile(paths[2].Times, 50) - Program.Percentile(paths[0].Times, 50):F3} ms.");
            report.AppendLine();
            report.AppendLine(CultureInfo.InvariantCulture, $"Time to first streamed token ({streams} streams per path, `max_tokens: 4`):");
            report.AppendLine();
            report.AppendLine("| path | p50 ms | p99 ms | added p50 ms | added p99 ms | p50 ratio |");
            report.AppendLine("|---|---|---|---|---|---|");
            Program.Row(report, "llama-server directly (baseline)", firstDirect, firstDirect);
            Program.Row(report, "nginx one hop", firstNginx, firstDirect);
            Program.Row(report, "full chain", firstChain, firstDirect);
            report.AppendLine();
            report.AppendLine("Streamed tokens/s (`max_tokens: 100`, median of 3 rounds; at 32 streams, all tokens over the wall time):");
            report.AppendLine();
            report.AppendLine("| streams | direct tok/s | chain tok/s | chain / direct | failed streams |");
            report.AppendLine("|---|---|---|---|---|");
            foreach (var (name, directRate, chainRate, failures) in rates)
            {
                report.AppendLine(CultureInfo.InvariantCulture, $"| {name} | {directRate:F0} | {chainRate:F0} | {chainRate / directRate:F2} | {failures} |");
            }

            report.AppendLine();
            report.AppendLine(CultureInfo.InvariantCulture, $"Swaps a <-> b in one exclusive group through the chain ({swaps}): median {swap:F1} ms (max {swapTimes.Max():F1}); llama-server's own spawn-to-healthy median {own:F1} ms (max {ownStart.Max():F1}), plus one direct answer {answer:F1} ms: **swap overhead {swap - own - answer:F1} ms** at the median. Client wait to headers minus the four timing headers: at most {underReported.Max():F1} ms (the auth proxy's hop).");
            report.AppendLine();
            report.AppendLine(gaps);
            report.AppendLine();
        }
        finally
        {
            if (nginx is not null)
            {
                Program.Signal(nginx.Id, 15);
                nginx.WaitForExit(10_000);
                nginx.Dispose();
            }

            Program.Signal(appHost.Id, 15);
            if (!appHost.WaitForExit(30_000))
            {
                appHost.Kill(entireProcessTree: true);
            }

            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>One chat; the time to the response headers, to the first streamed token and to the end, and the timing headers' sum.</summary>
    private static async Task<ChatTiming> ChatAsync(HttpClient http, string baseUrl, string model, bool auth, int maxTokens, bool stream)
    {
        var body = ChatBody.Replace("{0}", model, StringComparison.Ordinal)
            .Replace("{1}", maxTokens.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{2}", stream ? "true" : "false", StringComparison.Ordinal);
        using var request = new HttpRequestMessage(HttpMethod.Post, baseUrl + "/v1/chat/completions")
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        if (auth)
        {
            request.Headers.Authorization = new("Bearer", Program.ApiKey);
        }

        var started = Stopwatch.GetTimestamp();
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var headersWait = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"{baseUrl} {model}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }

        var headerSum = 0.0;
        foreach (var name in new[] { "X-LlamaSwap-Queue-Wait-Ms", "X-LlamaSwap-Load-Ms", "X-LlamaSwap-Proxy-Ms", "X-LlamaSwap-Upstream-Ms" })
        {
            if (response.Headers.TryGetValues(name, out var values))
            {
                headerSum += double.Parse(values.Single(), CultureInfo.InvariantCulture);
            }
        }

        await using var content = await response.Content.ReadAsStreamAsync();
        if (!stream)
        {
            await content.CopyToAsync(Stream.Null);
            var total = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            return new ChatTiming(total, total, headersWait, headerSum, 0);
        }

        using var reader = new StreamReader(content);
        double? first = null;
        var tokens = 0;
        while (await reader.ReadLineAsync() is { } line)
        {
            if (line.StartsWith("data:", StringComparison.Ordinal) && line.Contains("\"content\"", StringComparison.Ordinal))
            {
                first ??= Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                tokens++;
            }
        }

        return new ChatTiming(
            Stopwatch.GetElapsedTime(started).TotalMilliseconds,
            first ?? throw new InvalidOperationException("no token streamed"),
            headersWait,
            headerSum,
            tokens);
    }

    /// <summary>All tokens of <paramref name="concurrency"/> simultaneous streams over the wall time; failed streams are counted, not hidden.</summary>
    private static async Task<(double TokensPerSecond, int Failed, string? Error)> TokensPerSecondAsync(HttpClient http, string baseUrl, bool auth, int concurrency)
    {
        var started = Stopwatch.GetTimestamp();
        var results = await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            try
            {
                return (Tokens: (await ChatAsync(http, baseUrl, "a", auth, maxTokens: 100, stream: true)).Tokens, Error: (string?)null);
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException or InvalidOperationException)
            {
                // A refused or broken stream (a non-2xx answer is an InvalidOperationException from ChatAsync).
                return (Tokens: 0, Error: ex.InnerException?.Message ?? ex.Message);
            }
        }));
        var failed = results.Where(r => r.Error is not null).ToList();
        return (results.Sum(r => r.Tokens) / Stopwatch.GetElapsedTime(started).TotalSeconds, failed.Count, failed.FirstOrDefault().Error);
    }

    /// <summary>
    /// A packet capture on the llama-server port during <paramref name="count"/> chain requests: the
    /// longest pause inside any response (between two of its segments), where a delayed-ACK stall shows.
    /// </summary>
    private static async Task<string> CaptureGapsAsync(HttpClient http, string front, int upstreamPort, int count)
    {
        if (Which("tshark") is null)
        {
            return "Packet capture: not done (tshark is not on PATH).";
        }

        var pcap = Path.Combine(Path.GetTempPath(), $"llamaswap-bench-{upstreamPort}.pcap");
        var capture = Process.Start(new ProcessStartInfo("tshark", ["-i", "lo", "-f", $"tcp port {upstreamPort}", "-w", pcap])
        {
            UseShellExecute = false,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        })!;
        try
        {
            // tshark says "Capturing on 'Loopback: lo'" once it listens.
            var ready = capture.StandardError.ReadLineAsync();
            await ready.WaitAsync(TimeSpan.FromSeconds(30));
            await Task.Delay(500);
            for (var i = 0; i < count; i++)
            {
                await ChatAsync(http, front, "a", auth: true, maxTokens: 1, stream: false);
            }

            await Task.Delay(500);
        }
        finally
        {
            Program.Signal(capture.Id, 2);
            capture.WaitForExit(30_000);
            capture.Dispose();
        }

        var read = Process.Start(new ProcessStartInfo("tshark", ["-r", pcap, "-T", "fields", "-e", "frame.time_epoch", "-e", "tcp.srcport", "-e", "tcp.stream", "-e", "tcp.len"])
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var lines = (await read.StandardOutput.ReadToEndAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        await read.WaitForExitAsync();
        File.Delete(pcap);

        // A response is the run of data segments from the upstream after a data segment to it.
        var responses = 0;
        var maxGap = 0.0;
        var lastFromServer = new Dictionary<string, double>();
        foreach (var line in lines)
        {
            var fields = line.Split('\t');
            if (fields.Length < 4 || fields[3] == "0")
            {
                continue;
            }

            var time = double.Parse(fields[0], CultureInfo.InvariantCulture) * 1000;
            var stream = fields[2];
            if (fields[1] == upstreamPort.ToString(CultureInfo.InvariantCulture))
            {
                if (lastFromServer.TryGetValue(stream, out var previous))
                {
                    maxGap = Math.Max(maxGap, time - previous);
                }
                else
                {
                    responses++;
                }

                lastFromServer[stream] = time;
            }
            else
            {
                lastFromServer.Remove(stream);
            }
        }

        return string.Create(CultureInfo.InvariantCulture, $"Packet capture on the llama-server port (`tshark -i lo`) during {count} chain requests: {responses} responses seen, longest pause inside a response {maxGap:F2} ms.");
    }

    private static async Task<double> SpawnToHealthyAsync(string binary, string model, int port)
    {
        using var probe = new HttpClient(new SocketsHttpHandler { UseProxy = false, PooledConnectionLifetime = TimeSpan.Zero }) { Timeout = TimeSpan.FromSeconds(1) };
        var info = new ProcessStartInfo(binary, ["-m", model, "--host", "127.0.0.1", "--port", port.ToString(CultureInfo.InvariantCulture), "-c", "512", "-t", "1"])
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var started = Stopwatch.GetTimestamp();
        using var process = Process.Start(info)!;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            while (Stopwatch.GetElapsedTime(started) < TimeSpan.FromSeconds(60))
            {
                try
                {
                    using var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{port}/health") { Headers = { ConnectionClose = true } };
                    using var response = await probe.SendAsync(request);
                    if (response.StatusCode == HttpStatusCode.OK)
                    {
                        return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                    }
                }
                catch (HttpRequestException)
                {
                    // Not listening yet.
                }

                await Task.Delay(2);
            }

            throw new TimeoutException($"{binary} did not become healthy");
        }
        finally
        {
            Program.Signal(process.Id, 9);
            process.WaitForExit(10_000);
        }
    }

    private static async ValueTask<Stream> QuickAckConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
            return QuickAckStream.Create(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static string? Which(string name)
        => (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':')
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);

    private readonly record struct ChatTiming(double Total, double First, double HeadersWait, double HeaderSum, int Tokens);
}
