using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace LlamaSwap.Bench;

/// <summary>
/// <c>--node</c>: the proxy path measured with neither end one of ours. A node client
/// (<c>tools/bench-node/client.js</c>) calls a node upstream (<c>tools/bench-node/upstream.js</c>)
/// directly, through nginx one hop, through the gateway alone and through the full chain (auth proxy
/// with a key -> gateway -> supervisor lease -> upstream), all in one run against the same upstream
/// process, which the supervisor started as a model. Then bursts: many streams opened at once,
/// through nginx and through the chain, alternating. Needs node and nginx on PATH.
/// </summary>
internal static class NodeChainBench
{
    private const string Model = "node";

    // The same upstream process declared as a peer too: the gateway forwards a peer model's request
    // without a lease (no acquire, no release), so node vs peer-node through the same gateway is
    // what the two supervisor round trips cost.
    private const string PeerModel = "peer-node";

    public static async Task<int> RunAsync(string[] args)
    {
        var requests = Program.ArgValue(args, "--requests", 2000);
        var streams = Program.ArgValue(args, "--streams", 500);
        var burst = Program.ArgValue(args, "--burst", 1000);
        var rounds = Program.ArgValue(args, "--rounds", 3);
        var burstTimeout = Program.ArgValue(args, "--burst-timeout-s", 60);
        var counters = ArgString(args, "--counters");
        if (ArgString(args, "--summarize-counters") is { } existing)
        {
            Console.WriteLine(CountersSummary.Summarize(existing));
            return 0;
        }

        var root = Program.Metadata("LlamaSwapRepoRoot");
        foreach (var tool in new[] { "node", "nginx" })
        {
            if (Which(tool) is null)
            {
                Console.Error.WriteLine($"bench: {tool} is not on PATH (apt-get install nodejs nginx)");
                return 2;
            }
        }

        var scripts = Path.Combine(root, "tools", "bench-node");
        var work = Directory.CreateTempSubdirectory("llamaswap-bench-node-").FullName;
        var configPath = Path.Combine(work, "bench.yaml");

        // concurrencyLimit: the default (10) would answer most of a burst with 429 at once; nginx has no such limit.
        // startPort: a free port, so ${PORT} is known here and the peer can name it.
        var upstreamPort = Program.FreePort();
        await File.WriteAllTextAsync(configPath, $"""
            healthCheckTimeout: 30
            startPort: {upstreamPort}
            apiKeys: ["{Program.ApiKey}"]
            models:
              {Model}:
                cmd: node {Path.Combine(scripts, "upstream.js")} --port ${"{PORT}"} --model {Model}
                proxy: http://127.0.0.1:${"{PORT}"}
                concurrencyLimit: {Math.Max(burst * 2, 100)}
            peers:
              same-upstream:
                proxy: http://127.0.0.1:{upstreamPort}
                models: [{PeerModel}]
            """);

        // The auth proxy refuses connections past AuthProxy:Limits:MaxConcurrentConnections (1000 by
        // default): raised so a burst measures the chain, not a refusal. Any other AuthProxy__Limits__*
        // variable set for the bench (a per-IP limit, say) is passed on as it is.
        var environment = new Dictionary<string, string>
        {
            ["AuthProxy__Limits__MaxConcurrentConnections"] = (burst * 4 + 100).ToString(CultureInfo.InvariantCulture),
        };
        foreach (var (name, value) in Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
                     .Select(e => ((string)e.Key, (string?)e.Value ?? ""))
                     .Where(e => e.Item1.StartsWith("AuthProxy__Limits__", StringComparison.Ordinal)))
        {
            environment[name] = value;
        }

        // --service-env NAME=VALUE (repeatable): runtime knobs for the A/B runs (DOTNET_gcServer=1,
        // OTEL_SDK_DISABLED=true, ...), set on the AppHost and so inherited by the three services.
        for (var i = 0; i + 1 < args.Length; i++)
        {
            if (args[i] == "--service-env" && args[i + 1].Split('=', 2) is [var name, var value])
            {
                environment[name] = value;
            }
        }

        var gatewayPort = Program.FreePort();
        var proxyPort = Program.FreePort();
        var supervisorPort = Program.FreePort();
        var nginxPort = Program.FreePort();
        var nginxDefaultPort = Program.FreePort();
        using var appHost = Program.StartAppHost(root, Program.Metadata("LlamaSwapConfiguration"), configPath, gatewayPort, proxyPort, supervisorPort, environment);
        Process? nginx = null;
        try
        {
            using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(60) };
            var front = $"http://127.0.0.1:{proxyPort}";
            var gateway = $"http://127.0.0.1:{gatewayPort}";
            await Program.WaitHealthyAsync(http, front + "/health", appHost);

            // Load the model through the chain; /running then says where its upstream listens.
            using (var load = new HttpRequestMessage(HttpMethod.Post, front + "/v1/chat/completions"))
            {
                load.Headers.Authorization = new("Bearer", Program.ApiKey);
                load.Content = JsonContent.Create(new { model = Model, messages = new[] { new { role = "user", content = "hi" } } });
                (await http.SendAsync(load)).EnsureSuccessStatusCode();
            }

            var running = (await http.GetFromJsonAsync<JsonObject>(gateway + "/running"))!["running"]!.AsArray();
            var upstream = new Uri(running.Single(r => r!["model"]!.GetValue<string>() == Model)!["proxy"]!.GetValue<string>());
            Console.Error.WriteLine($"bench: the supervisor started the node upstream at {upstream}");
            nginx = Nginx.Start(
                work,
                $$"""
                  upstream node_kept_alive {
                    server 127.0.0.1:{{upstream.Port}};
                    keepalive 64;
                  }
                {{Nginx.Server(nginxPort, "http://node_kept_alive", keepAlive: true)}}
                {{Nginx.Server(nginxDefaultPort, $"http://127.0.0.1:{upstream.Port}")}}
                """,
                workerConnections: 16384);
            await Nginx.WaitListeningAsync(http, $"http://127.0.0.1:{nginxPort}/health", nginx);

            var services = FindServices(appHost.Id);
            var state = await http.GetFromJsonAsync<JsonArray>($"http://127.0.0.1:{supervisorPort}/internal/v1/state");
            var processes = new Dictionary<string, int>(services)
            {
                ["upstream"] = state!.Single(r => r!["model"]!.GetValue<string>() == Model)!["pid"]!.GetValue<int>(),
                ["nginx"] = ChildOf(nginx.Id),
            };
            var pids = string.Join(",", processes.Select(p => $"{p.Key}:{p.Value}"));
            Console.Error.WriteLine($"bench: pids {pids}");
            var report = new StringBuilder();
            report.AppendLine(CultureInfo.InvariantCulture, $"Measured {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC on {Environment.ProcessorCount} cores, {Environment.OSVersion}; node {NodeVersion()}, {Nginx.Version()}; load average before the run {File.ReadAllText("/proc/loadavg").Split(' ')[0]}.");
            report.AppendLine();

            if (upstream.Port != upstreamPort)
            {
                throw new InvalidOperationException($"the upstream listens on {upstream.Port}, not on startPort {upstreamPort}: the peer paths would miss it");
            }

            var direct = new PathSpec("node upstream directly (baseline)", $"http://{upstream.Authority}", null, null, null);
            var viaNginx = new PathSpec("nginx one hop (upstream keep-alive)", $"http://127.0.0.1:{nginxPort}", null, null, null);
            var viaNginxDefault = new PathSpec("nginx one hop (default proxy_pass: new upstream connection per request)", $"http://127.0.0.1:{nginxDefaultPort}", null, null, null);
            var viaGateway = new PathSpec("gateway -> supervisor lease -> upstream", gateway, null, null, null);
            var viaChain = new PathSpec("auth proxy -> gateway -> supervisor lease -> upstream (full chain)", front, Program.ApiKey, null, null);
            var viaGatewayPeer = new PathSpec("gateway -> upstream as a peer (no lease)", gateway, null, null, PeerModel);
            var viaChainPeer = new PathSpec("auth proxy -> gateway -> upstream as a peer (full chain, no lease)", front, Program.ApiKey, null, PeerModel);
            var lease = new PathSpec("supervisor acquire + release only (node client -> supervisor API)", $"http://127.0.0.1:{supervisorPort}", null, "lease", null);

            Console.Error.WriteLine($"bench: sequential, {requests} chats and {streams} streams per path");
            var seqCounters = StartCounters(counters, "seq", services);
            var seq = await RunClientAsync(scripts, work, "seq", [direct, viaNginx, viaNginxDefault, viaGateway, viaChain, viaGatewayPeer, viaChainPeer, lease],
                ["--requests", requests.ToString(CultureInfo.InvariantCulture), "--streams", streams.ToString(CultureInfo.InvariantCulture), "--warmup", "300"],
                TimeSpan.FromMinutes(20));
            StopCounters(seqCounters);
            ReportSequential(report, seq, requests, streams);

            Console.Error.WriteLine("bench: CPU per request, each path on its own");
            var cpu = await RunClientAsync(scripts, work, "cpu", [viaNginx, viaGatewayPeer, viaGateway, viaChainPeer, viaChain],
                ["--requests", "1000", "--warmup", "200", "--pids", pids], TimeSpan.FromMinutes(10));
            ReportCpu(report, cpu, [.. processes.Keys]);

            Console.Error.WriteLine($"bench: bursts of {burst} streams, {rounds} rounds");
            var burstCounters = StartCounters(counters, "burst", services);
            var listenBefore = ListenDrops();
            var bursts = await RunClientAsync(scripts, work, "burst", [viaNginx, viaGateway, viaChain, viaChainPeer],
                ["--concurrency", burst.ToString(CultureInfo.InvariantCulture), "--rounds", rounds.ToString(CultureInfo.InvariantCulture),
                    "--timeout-s", burstTimeout.ToString(CultureInfo.InvariantCulture), "--pids", pids],
                TimeSpan.FromSeconds(rounds * 3 * (burstTimeout + 5) + 120));
            StopCounters(burstCounters);
            ReportBursts(report, bursts, burst, rounds, burstTimeout);
            ReportBurstCpu(report, bursts, [.. processes.Keys]);
            var listenAfter = ListenDrops();
            report.AppendLine(CultureInfo.InvariantCulture, $"Accept queue overflows during the bursts, whole machine (TcpExt ListenOverflows): {listenAfter.Overflows - listenBefore.Overflows}; SYNs sent again (TCPSynRetrans): {listenAfter.SynRetrans - listenBefore.SynRetrans}.");
            report.AppendLine();
            if (environment.Count > 1)
            {
                report.AppendLine(CultureInfo.InvariantCulture, $"Service environment for this run: {string.Join(", ", environment.Select(e => $"`{e.Key}={e.Value}`"))}.");
                report.AppendLine();
            }
            if (counters is not null)
            {
                report.AppendLine(CountersSummary.Summarize(counters));
            }

            Console.WriteLine(report.ToString());
            return 0;
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

    private static void ReportSequential(StringBuilder report, JsonNode seq, int requests, int streams)
    {
        var paths = seq["paths"]!.AsArray();
        List<double> Times(int i, string field) => paths[i]![field]!.AsArray().Select(v => v!.GetValue<double>()).ToList();
        var names = paths.Select(p => p!["name"]!.GetValue<string>()).ToList();

        report.AppendLine(CultureInfo.InvariantCulture, $"### Non-streaming chat, one at a time ({requests} per path, interleaved; node client with a keep-alive agent per path)");
        report.AppendLine();
        report.AppendLine("| path | p50 ms | p99 ms | added p50 ms | added p99 ms | p50 ratio |");
        report.AppendLine("|---|---|---|---|---|---|");
        for (var i = 0; i < names.Count; i++)
        {
            if (i == names.Count - 1)
            {
                // The lease row is not a path to the upstream: its own time, not an added one.
                report.AppendLine(CultureInfo.InvariantCulture, $"| {names[i]}: acquire | {Program.Percentile(Times(i, "plain"), 50):F3} | {Program.Percentile(Times(i, "plain"), 99):F3} | | | |");
                continue;
            }

            Program.Row(report, names[i], Times(i, "plain"), Times(0, "plain"));
        }

        report.AppendLine();
        AddedRatios(report, "non-streaming", Times(0, "plain"), Times(1, "plain"), Times(2, "plain"), Times(4, "plain"), Times(6, "plain"));

        // The gateway's own timing headers, as the client received them.
        report.AppendLine();
        report.AppendLine("Gateway timing headers (median over the same requests; ms): ");
        report.AppendLine();
        report.AppendLine("| path | queue wait (supervisor) | gateway: arrival -> upstream request sent, less queue | upstream: sent -> response headers |");
        report.AppendLine("|---|---|---|---|");
        foreach (var i in new[] { 3, 4 })
        {
            var timings = paths[i]!["timings"]!.AsArray().Select(t => t!.AsArray().Select(v => v!.GetValue<double>()).ToArray()).ToList();
            if (timings.Count == 0)
            {
                continue;
            }

            report.AppendLine(CultureInfo.InvariantCulture, $"| {names[i]} | {Program.Percentile(timings.Select(t => t[0]).ToList(), 50):F3} | {Program.Percentile(timings.Select(t => t[1]).ToList(), 50):F3} | {Program.Percentile(timings.Select(t => t[2]).ToList(), 50):F3} |");
        }

        report.AppendLine();
        report.AppendLine(CultureInfo.InvariantCulture, $"### Time to the first SSE event, one stream at a time ({streams} per path, interleaved)");
        report.AppendLine();
        report.AppendLine("| path | p50 ms | p99 ms | added p50 ms | added p99 ms | p50 ratio |");
        report.AppendLine("|---|---|---|---|---|---|");
        for (var i = 0; i < names.Count - 1; i++)
        {
            Program.Row(report, names[i], Times(i, "firstChunk"), Times(0, "firstChunk"));
        }

        report.AppendLine();
        AddedRatios(report, "first SSE event", Times(0, "firstChunk"), Times(1, "firstChunk"), Times(2, "firstChunk"), Times(4, "firstChunk"), Times(6, "firstChunk"));
        report.AppendLine();
    }

    private static void AddedRatios(StringBuilder report, string what, List<double> direct, List<double> nginx, List<double> nginxDefault, List<double> chain, List<double> chainPeer)
    {
        double Added(List<double> path, double p) => Program.Percentile(path, p) - Program.Percentile(direct, p);
        report.AppendLine(CultureInfo.InvariantCulture,
            $"Chain added vs nginx one hop added, {what}: p50 {Added(chain, 50):F3} vs {Added(nginx, 50):F3} ms (**{Added(chain, 50) / Added(nginx, 50):F1}x**; vs nginx's default proxy_pass {Added(nginxDefault, 50):F3} ms, {Added(chain, 50) / Added(nginxDefault, 50):F1}x); p99 {Added(chain, 99):F3} vs {Added(nginx, 99):F3} ms. Without the lease (peer): p50 {Added(chainPeer, 50):F3} ms ({Added(chainPeer, 50) / Added(nginx, 50):F1}x nginx), p99 {Added(chainPeer, 99):F3} ms.");
    }

    private static void ReportBursts(StringBuilder report, JsonNode bursts, int burst, int rounds, int timeoutS)
    {
        report.AppendLine(CultureInfo.InvariantCulture, $"### Bursts: {burst} streaming chats opened at once, time to the first SSE event ({rounds} rounds per path, paths taking turns; each stream on a new connection; {timeoutS} s limit)");
        report.AppendLine();
        report.AppendLine("| path | round | answered | p50 ms | p99 ms | max ms | burst wall ms | failures |");
        report.AppendLine("|---|---|---|---|---|---|---|---|");
        var medians = new Dictionary<string, (double P50, double P99)>();
        foreach (var path in bursts["paths"]!.AsArray())
        {
            var name = path!["name"]!.GetValue<string>();
            var p50s = new List<double>();
            var p99s = new List<double>();
            var round = 0;
            foreach (var r in path["rounds"]!.AsArray())
            {
                round++;
                var ttfb = r!["ttfb"]!.AsArray().Select(v => v!.GetValue<double>()).ToList();
                var failures = r["failures"]!.AsObject();
                var failed = failures.Count == 0 ? "none" : string.Join(", ", failures.Select(f => $"{f.Key}: {f.Value}"));
                if (ttfb.Count == 0)
                {
                    report.AppendLine(CultureInfo.InvariantCulture, $"| {name} | {round} | 0/{burst} | | | | {r["wall"]!.GetValue<double>():F0} | {failed} |");
                    continue;
                }

                p50s.Add(Program.Percentile(ttfb, 50));
                p99s.Add(Program.Percentile(ttfb, 99));
                report.AppendLine(CultureInfo.InvariantCulture, $"| {name} | {round} | {ttfb.Count}/{burst} | {Program.Percentile(ttfb, 50):F1} | {Program.Percentile(ttfb, 99):F1} | {ttfb.Max():F1} | {r["wall"]!.GetValue<double>():F0} | {failed} |");
            }

            if (p50s.Count > 0)
            {
                medians[name] = (Program.Percentile(p50s, 50), Program.Percentile(p99s, 50));
            }
        }

        report.AppendLine();
        var nginx = medians.FirstOrDefault(m => m.Key.StartsWith("nginx", StringComparison.Ordinal));
        var chain = medians.FirstOrDefault(m => m.Key.EndsWith("(full chain)", StringComparison.Ordinal));
        var chainPeer = medians.FirstOrDefault(m => m.Key.Contains("no lease", StringComparison.Ordinal));
        if (nginx.Key is not null && chain.Key is not null)
        {
            report.Append(CultureInfo.InvariantCulture,
                $"Median of the rounds: nginx p50 {nginx.Value.P50:F1} ms, p99 {nginx.Value.P99:F1} ms; full chain p50 {chain.Value.P50:F1} ms, p99 {chain.Value.P99:F1} ms: **chain / nginx p50 {chain.Value.P50 / nginx.Value.P50:F2}x**, p99 {chain.Value.P99 / nginx.Value.P99:F2}x.");
            if (chainPeer.Key is not null)
            {
                report.Append(CultureInfo.InvariantCulture, $" Full chain without a lease (peer): p50 {chainPeer.Value.P50:F1} ms ({chainPeer.Value.P50 / nginx.Value.P50:F2}x nginx), p99 {chainPeer.Value.P99:F1} ms.");
            }

            report.AppendLine();
            report.AppendLine();
        }
    }

    private static void ReportCpu(StringBuilder report, JsonNode cpu, string[] processes)
    {
        var requests = cpu["requests"]!.GetValue<int>();
        report.AppendLine(CultureInfo.InvariantCulture, $"### CPU per non-streaming chat, by process ({requests} one at a time per path, each path alone; /proc/PID/stat, 10 ms ticks)");
        report.AppendLine();
        report.AppendLine(CultureInfo.InvariantCulture, $"| path | wall ms per chat | {string.Join(" | ", processes.Select(p => p + " CPU ms"))} | all CPU ms |");
        report.AppendLine(CultureInfo.InvariantCulture, $"|---|---|{string.Concat(processes.Select(_ => "---|"))}---|");
        foreach (var path in cpu["paths"]!.AsArray())
        {
            var used = processes.Select(p => path!["cpu"]![p]?.GetValue<double>() ?? double.NaN).ToArray();
            report.AppendLine(CultureInfo.InvariantCulture,
                $"| {path!["name"]!.GetValue<string>()} | {path["wall"]!.GetValue<double>() / requests:F3} | {string.Join(" | ", used.Select(u => (u * 1000 / requests).ToString("F3", CultureInfo.InvariantCulture)))} | {used.Sum() * 1000 / requests:F3} |");
        }

        report.AppendLine();
    }

    private static void ReportBurstCpu(StringBuilder report, JsonNode bursts, string[] processes)
    {
        report.AppendLine("CPU seconds per burst, by process (median of the rounds):");
        report.AppendLine();
        report.AppendLine(CultureInfo.InvariantCulture, $"| path | {string.Join(" | ", processes)} | all |");
        report.AppendLine(CultureInfo.InvariantCulture, $"|---|{string.Concat(processes.Select(_ => "---|"))}---|");
        foreach (var path in bursts["paths"]!.AsArray())
        {
            var rounds = path!["rounds"]!.AsArray();
            var medians = processes.Select(p => Program.Percentile(rounds.Select(r => r!["cpu"]![p]?.GetValue<double>() ?? double.NaN).ToList(), 50)).ToArray();
            var all = Program.Percentile(rounds.Select(r => processes.Sum(p => r!["cpu"]![p]?.GetValue<double>() ?? 0)).ToList(), 50);
            report.AppendLine(CultureInfo.InvariantCulture,
                $"| {path["name"]!.GetValue<string>()} | {string.Join(" | ", medians.Select(m => m.ToString("F2", CultureInfo.InvariantCulture)))} | {all:F2} |");
        }

        report.AppendLine();
    }

    /// <summary>Every process's parent, from /proc/PID/stat (processes that went away meanwhile are left out).</summary>
    private static Dictionary<int, int> ProcessParents()
    {
        var parents = new Dictionary<int, int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
            {
                continue;
            }

            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                parents[pid] = int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1], CultureInfo.InvariantCulture);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Gone meanwhile.
            }
        }

        return parents;
    }

    private static string[] CommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Split('\0', StringSplitOptions.RemoveEmptyEntries);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    /// <summary>nginx's worker (the master only forks it); the master itself if none is found.</summary>
    private static int ChildOf(int parentPid)
    {
        foreach (var (pid, parent) in ProcessParents())
        {
            if (parent == parentPid)
            {
                return pid;
            }
        }

        return parentPid;
    }

    private static async Task<JsonNode> RunClientAsync(string scripts, string work, string mode, PathSpec[] paths, string[] extra, TimeSpan limit)
    {
        var pathsFile = Path.Combine(work, $"paths-{mode}.json");
        var json = new JsonArray(paths.Select(p => (JsonNode)new JsonObject
        {
            ["name"] = p.Name,
            ["url"] = p.Url,
            ["kind"] = p.Kind,
            ["model"] = p.Model,
            ["headers"] = p.Key is null ? new JsonObject() : new JsonObject { ["Authorization"] = "Bearer " + p.Key },
        }).ToArray());
        await File.WriteAllTextAsync(pathsFile, json.ToJsonString());
        var info = new ProcessStartInfo("node") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { Path.Combine(scripts, "client.js"), mode, "--paths", pathsFile, "--model", Model }.Concat(extra))
        {
            info.ArgumentList.Add(a);
        }

        using var client = Process.Start(info)!;
        client.ErrorDataReceived += (_, e) => { if (e.Data is not null) { Console.Error.WriteLine("  " + e.Data); } };
        client.BeginErrorReadLine();
        var output = client.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(limit);
        try
        {
            await client.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            client.Kill();
            throw new TimeoutException($"node client ({mode}) ran past {limit}");
        }

        if (client.ExitCode != 0)
        {
            throw new InvalidOperationException($"node client ({mode}) exited with {client.ExitCode}");
        }

        return JsonNode.Parse(await output)!;
    }

    /// <summary>
    /// The three services' process ids: descendants of our AppHost or of the DCP it started (DCP
    /// detaches, and names the AppHost with <c>--monitor PID</c>); other benchmarks may run beside this one.
    /// </summary>
    private static Dictionary<string, int> FindServices(int appHostPid)
    {
        var roots = new HashSet<int> { appHostPid };
        var parents = ProcessParents();
        foreach (var pid in parents.Keys)
        {
            var argv = CommandLine(pid);
            var monitor = Array.IndexOf(argv, "--monitor");
            if (argv.Length > 0 && argv[0].EndsWith("/dcp", StringComparison.Ordinal) && monitor > 0 && monitor + 1 < argv.Length
                && argv[monitor + 1] == appHostPid.ToString(CultureInfo.InvariantCulture))
            {
                roots.Add(pid);
            }
        }

        bool Descends(int pid)
        {
            for (var hops = 0; hops < 20 && parents.TryGetValue(pid, out var parent); hops++, pid = parent)
            {
                if (roots.Contains(parent))
                {
                    return true;
                }
            }

            return false;
        }

        var found = new Dictionary<string, int>();
        foreach (var pid in parents.Keys.Where(Descends))
        {
            var argv = CommandLine(pid);

            foreach (var service in new[] { "AuthProxy", "Gateway", "Supervisor" })
            {
                // The service itself (apphost or `dotnet X.dll`), not the `dotnet run` that started it.
                if (argv.Length > 0 && !argv.Contains("run")
                    && argv.Any(a => a.EndsWith($"LlamaSwap.{service}", StringComparison.Ordinal) || a.EndsWith($"LlamaSwap.{service}.dll", StringComparison.Ordinal)))
                {
                    found[service] = pid;
                }
            }
        }

        return found;
    }

    /// <summary>
    /// TcpExt ListenOverflows and TCPSynRetrans from /proc/net/netstat: handshakes dropped because an
    /// accept queue was full, and SYNs sent again (the client waits 1 s, then 2 s more, for each).
    /// </summary>
    private static (long Overflows, long SynRetrans) ListenDrops()
    {
        var lines = File.ReadAllLines("/proc/net/netstat");
        for (var i = 0; i + 1 < lines.Length; i += 2)
        {
            var names = lines[i].Split(' ');
            var values = lines[i + 1].Split(' ');
            if (names[0] == "TcpExt:")
            {
                long Value(string name) => long.Parse(values[Array.IndexOf(names, name)], CultureInfo.InvariantCulture);
                return (Value("ListenOverflows"), Value("TCPSynRetrans"));
            }
        }

        return (0, 0);
    }

    private static List<Process> StartCounters(string? directory, string phase, Dictionary<string, int> services)
    {
        if (directory is null)
        {
            return [];
        }

        Directory.CreateDirectory(directory);
        var tool = Environment.GetEnvironmentVariable("DOTNET_COUNTERS") ?? "dotnet-counters";
        var started = new List<Process>();
        foreach (var (service, pid) in services)
        {
            var info = new ProcessStartInfo(tool,
            [
                "collect", "-p", pid.ToString(CultureInfo.InvariantCulture), "--format", "csv", "--refresh-interval", "1",
                "-o", Path.Combine(directory, $"{phase}-{service}.csv"),
                "--counters", "System.Runtime,Microsoft.AspNetCore.Hosting,Microsoft.AspNetCore.Server.Kestrel,System.Net.Http,System.Net.Sockets",
            ])
            { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
            started.Add(Process.Start(info)!);
        }

        Thread.Sleep(1500);
        return started;
    }

    private static void StopCounters(List<Process> collectors)
    {
        foreach (var collector in collectors)
        {
            Program.Signal(collector.Id, 2);
            if (!collector.WaitForExit(10_000))
            {
                collector.Kill();
            }

            collector.Dispose();
        }
    }

    private static string NodeVersion() => Program.RunQuiet("node", "--version").Trim();


    private static string? ArgString(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? Path.GetFullPath(args[index + 1]) : null;
    }

    private static string? Which(string name)
        => (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':')
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);

    /// <param name="Model">The model the path asks for; null: the local model.</param>
    private sealed record PathSpec(string Name, string Url, string? Key, string? Kind, string? Model);
}
