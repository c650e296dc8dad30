using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using LlamaSwap.Core.Hosting;
using LlamaSwap.Core.Processes;
using LlamaSwap.Tests.EndToEnd;
using LlamaSwap.Tests.Infrastructure;
using Xunit.Abstractions;

namespace LlamaSwap.Tests.Cli;

/// <summary>
/// The <c>llamaswap</c> CLI as llama-swap users and the seed stack's users run it: their command
/// lines, background runs with stop and status, TLS, and nothing left behind however it ends.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class CliStackTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("llamaswap-cli-").FullName;

    public void Dispose() => Directory.Delete(_work, recursive: true);

    [Fact]
    public async Task LlamaSwapCommandLine_ServesTheConfig_AndSigtermStopsEverything()
    {
        var (config, model) = WriteConfig();
        var port = FreePorts.Next();

        // A llama-swap user's line, Go-style single dashes, unchanged but for the binary's name.
        await using var cli = RunningCli.Start(["-config", config, "-listen", $"127.0.0.1:{port}", "-port", FreePorts.Next().ToString(CultureInfo.InvariantCulture), "-state-dir", StateDir()]);
        await cli.WaitForOutputAsync("LlamaSwap is running");
        var frontDoor = $"http://127.0.0.1:{port}";
        Assert.Contains($"front door (OpenAI API):  {frontDoor}/v1", cli.Output, StringComparison.Ordinal);
        Assert.Contains($"web UI:                   {frontDoor}/ui", cli.Output, StringComparison.Ordinal);

        using var http = new HttpClient();
        await ChatAsync(http, frontDoor, model);
        var stack = ProcessTree.Descendants(cli.Pid);
        Assert.Contains(stack, pid => ProcFs.CommandName(pid) == "redis-server");
        Assert.True(stack.Count >= 5, $"redis, three services and the model's upstream below the launcher, found {stack.Count}:\n{cli.Output}");

        PosixSignals.SignalProcess(cli.Pid, PosixSignals.SigTerm);
        Assert.Equal(0, await cli.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.All(stack, pid => Assert.False(ProcFs.IsAlive(pid), $"pid {pid} ({ProcessTree.CommandLine(pid)}) outlived the launcher"));
    }

    [Fact]
    public async Task Background_StatusAndStop_AsTheSeedScripts()
    {
        var (config, model) = WriteConfig();
        var port = FreePorts.Next();
        var state = StateDir();

        var started = await RunningCli.RunAsync(["start", "--bg", "--config", config, "--proxy-port", port.ToString(CultureInfo.InvariantCulture), "--port", FreePorts.Next().ToString(CultureInfo.InvariantCulture), "--state-dir", state]);
        Assert.True(started.ExitCode == 0, started.Output);
        Assert.Contains("Started in the background: pid", started.Output, StringComparison.Ordinal);
        Assert.Contains("Stop it with: llamaswap stop", started.Output, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(state, "llamaswap.pid")), "a pid file");
        var launcher = int.Parse(File.ReadAllText(Path.Combine(state, "llamaswap.pid")).Trim(), CultureInfo.InvariantCulture);
        try
        {
            using var http = new HttpClient();
            await ChatAsync(http, $"http://localhost:{port}", model);
            var stack = ProcessTree.Descendants(launcher);

            var status = await RunningCli.RunAsync(["status", "--state-dir", state]);
            Assert.True(status.ExitCode == 0, status.Output);
            Assert.Contains("health: 200", status.Output, StringComparison.Ordinal);
            Assert.Matches(@"memory \(launcher, services, redis; models not counted\): .*\d+ MiB PSS", status.Output);
            output.WriteLine(status.Output);

            var stop = await RunningCli.RunAsync(["stop", "--state-dir", state]);
            Assert.True(stop.ExitCode == 0, stop.Output);
            Assert.False(ProcFs.IsAlive(launcher), "stop returns once the launcher is gone");
            await Eventually.TrueAsync(() => stack.All(pid => !ProcFs.IsAlive(pid)), "everything the launcher started is gone");
            Assert.Contains("llamaswap: stopped", File.ReadAllText(Path.Combine(state, "llamaswap.log")), StringComparison.Ordinal);

            var after = await RunningCli.RunAsync(["status", "--state-dir", state]);
            Assert.Equal(3, after.ExitCode);
            Assert.Contains("not running", after.Output, StringComparison.Ordinal);
        }
        finally
        {
            PosixSignals.SignalProcess(launcher, PosixSignals.SigKill);
        }
    }

    [Fact]
    public async Task LauncherKilledOutright_LeavesNoRedisServiceOrModel()
    {
        var (config, model) = WriteConfig();
        var port = FreePorts.Next();
        await using var cli = RunningCli.Start(["--config", config, "--listen", $"127.0.0.1:{port}", "--port", FreePorts.Next().ToString(CultureInfo.InvariantCulture), "--state-dir", StateDir()]);
        await cli.WaitForOutputAsync("LlamaSwap is running");
        using var http = new HttpClient();
        await ChatAsync(http, $"http://127.0.0.1:{port}", model);
        var stack = ProcessTree.Descendants(cli.Pid);
        Assert.Contains(stack, pid => ProcFs.CommandName(pid) == "redis-server");

        PosixSignals.SignalProcess(cli.Pid, PosixSignals.SigKill);
        await Eventually.TrueAsync(
            () => stack.All(pid => !ProcFs.IsAlive(pid)),
            "redis-server, the services and the model's upstream all went with the launcher",
            TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task Tls_FrontDoorServesHttps_WithTheGivenCertificate()
    {
        var (config, model) = WriteConfig();
        var (cert, key) = WriteSelfSignedCertificate();
        var port = FreePorts.Next();
        var state = StateDir();
        await using var cli = RunningCli.Start(["--config", config, "--listen", $"127.0.0.1:{port}", "--tls-cert-file", cert, "--tls-key-file", key, "--port", FreePorts.Next().ToString(CultureInfo.InvariantCulture), "--state-dir", state]);
        await cli.WaitForOutputAsync("LlamaSwap is running");
        var frontDoor = $"https://127.0.0.1:{port}";
        Assert.Contains($"curl -N --cacert {cert} {frontDoor}/v1/chat/completions", cli.Output, StringComparison.Ordinal);

        using var https = FrontDoorProbe.CreateClient(cert);
        await ChatAsync(https, frontDoor, model);

        // status and smoke find the running install, and its certificate, through the state directory.
        var status = await RunningCli.RunAsync(["status", "--state-dir", state]);
        Assert.True(status.ExitCode == 0, status.Output);
        Assert.Contains($"front door: {frontDoor} (health: 200", status.Output, StringComparison.Ordinal);
        var smoke = await RunningCli.RunAsync(["smoke", "--state-dir", state, "--model", model]);
        Assert.Matches(@"PASS\s+inference\s+cli-model", smoke.Output);

        using var plain = new HttpClient();
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => plain.GetAsync($"http://127.0.0.1:{port}/health"));
    }

    [Fact]
    public async Task Smoke_PassesAgainstTheDemo_AndFailsForAModelThatDoesNotExist()
    {
        var port = FreePorts.Next();
        var state = StateDir();
        await using var cli = RunningCli.Start(["--listen", $"127.0.0.1:{port}", "--port", FreePorts.Next().ToString(CultureInfo.InvariantCulture), "--state-dir", state]);
        await cli.WaitForOutputAsync("LlamaSwap is running");
        Assert.Contains("(demo)", cli.Output, StringComparison.Ordinal);
        Assert.Contains("no API keys are configured; the front door is reachable from this machine only", cli.Output, StringComparison.Ordinal);

        // No --url: the running install is found through the state directory.
        var smoke = await RunningCli.RunAsync(["smoke", "--state-dir", state]);
        output.WriteLine(smoke.Output);
        Assert.True(smoke.ExitCode == 0, smoke.Output);
        foreach (var name in new[] { "models", "inference", "streaming", "embeddings" })
        {
            Assert.Matches($@"PASS\s+{name}\s", smoke.Output);
        }

        var failing = await RunningCli.RunAsync(["smoke", "--url", $"http://127.0.0.1:{port}", "--model", "no-such-model"]);
        Assert.Equal(1, failing.ExitCode);
        Assert.Matches(@"FAIL\s+inference\s+no-such-model: 404", failing.Output);
    }

    [Fact]
    public async Task ConfigRefused_IsListedOnce_AndNothingStarts()
    {
        var config = Path.Combine(_work, "bad.yaml");
        File.WriteAllText(config, "models:\n  a:\n    cmd: [unclosed\n");
        var (code, text) = await RunningCli.RunAsync(["--config", config, "--listen", $"127.0.0.1:{FreePorts.Next()}", "--port", FreePorts.Next().ToString(CultureInfo.InvariantCulture), "--state-dir", StateDir()], timeout: TimeSpan.FromSeconds(90));
        Assert.True(code == 1, text);

        // Listed once, by the launcher, before anything starts.
        Assert.Single(text.Split('\n'), l => l.StartsWith($"invalid config {config}", StringComparison.Ordinal));
        Assert.DoesNotContain("redis ", text, StringComparison.Ordinal);
        Assert.Empty(ProcessTree.WithCommandLine(config));
    }

    [Fact]
    public async Task ServiceKilled_ComesBack_ButNotIntoAConfigItRefuses_UntilTheFileIsFixed()
    {
        var (config, model) = WriteConfig();
        var good = File.ReadAllText(config);
        var port = FreePorts.Next();
        await using var cli = RunningCli.Start(["--config", config, "--listen", $"127.0.0.1:{port}", "--port", FreePorts.Next().ToString(CultureInfo.InvariantCulture), "--state-dir", StateDir()]);
        await cli.WaitForOutputAsync("LlamaSwap is running");
        using var http = new HttpClient();
        var frontDoor = $"http://127.0.0.1:{port}";

        // A plain crash: started again, and serves.
        PosixSignals.SignalProcess(GatewayPid(cli), PosixSignals.SigKill);
        await cli.WaitForOutputAsync("llamaswap: gateway is back");
        await ChatAsync(http, frontDoor, model);

        // A crash into a config it refuses: not started again until the file changes.
        File.WriteAllText(config, good + "\n    ttl: not-a-number\n");
        await cli.WaitForOutputAsync("Refused to reload");
        PosixSignals.SignalProcess(GatewayPid(cli), PosixSignals.SigKill);
        await cli.WaitForOutputAsync("gateway (pid");
        await cli.WaitForOutputAsync("refused the config (see above): it starts again once the config file changes");
        var refusals = cli.Output.Split('\n').Count(l => l.Contains("invalid config", StringComparison.Ordinal) && l.StartsWith("gateway", StringComparison.Ordinal));
        Assert.Equal(1, refusals);

        File.WriteAllText(config, good);
        await Eventually.TrueAsync(() => cli.Output.Split("llamaswap: gateway is back").Length == 3, "the gateway is started again once the config is fixed", TimeSpan.FromSeconds(30));
        await ChatAsync(http, frontDoor, model);
    }

    private static int GatewayPid(RunningCli cli)
        => ProcessTree.Descendants(cli.Pid).Single(pid => ProcessTree.CommandLine(pid).Contains("LlamaSwap.Gateway", StringComparison.Ordinal));

    [Fact]
    public async Task Banner_TheCurlItPrints_WorksAsPrinted_WithTheKeyItAsksFor()
    {
        var (config, model) = WriteConfig(apiKeys: ["sk-banner-test"]);
        var port = FreePorts.Next();
        await using var cli = RunningCli.Start(["-config", config, "-listen", $"127.0.0.1:{port}", "-port", FreePorts.Next().ToString(CultureInfo.InvariantCulture), "-state-dir", StateDir()]);
        await cli.WaitForOutputAsync("LlamaSwap is running");
        await cli.WaitForOutputAsync("curl http");

        // The banner's own lines, pasted into a shell with the variable it tells the user to export.
        var lines = cli.Output.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        Assert.Contains("  export API_KEY=<one of your keys>", lines);
        var chat = lines.FindIndex(l => l.TrimStart().StartsWith("curl -N ", StringComparison.Ordinal));
        var script = string.Join('\n', lines[chat], lines[chat + 1]) + " && echo && " + lines.First(l => l.TrimStart().StartsWith("curl http", StringComparison.Ordinal)).Trim();
        var (code, text) = await ShellAsync(script, new Dictionary<string, string> { ["API_KEY"] = "sk-banner-test" });
        Assert.True(code == 0, text);
        Assert.Contains("data: [DONE]", text, StringComparison.Ordinal);
        Assert.Contains($"\"id\":\"{model}\"", text, StringComparison.Ordinal);

        // Without the key, the same lines are refused: the banner did not print a curl for an open door.
        var (_, refused) = await ShellAsync(script.Replace("curl ", "curl -s -o /dev/null -w '%{http_code} ' ", StringComparison.Ordinal), new Dictionary<string, string> { ["API_KEY"] = "" });
        Assert.Contains("401", refused, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("-version")]
    [InlineData("--version")]
    [InlineData("version")]
    public async Task Version_PrintsLlamaSwapsLine(string flag)
    {
        var (code, text) = await RunningCli.RunAsync([flag]);
        Assert.Equal(0, code);
        Assert.Matches(@"^version: \S+ \(\S+\), built at \d{4}-\d\d-\d\dT", text);
    }

    [Fact]
    public async Task UnknownFlag_IsRefusedAsGoRefusesIt()
    {
        var (code, text) = await RunningCli.RunAsync(["-confg", "x.yaml"]);
        Assert.Equal(2, code);
        Assert.Contains("flag provided but not defined: -confg", text, StringComparison.Ordinal);
    }

    private string StateDir() => Directory.CreateDirectory(Path.Combine(_work, "state-" + Guid.NewGuid().ToString("N")[..8])).FullName;

    private static async Task<(int Code, string Output)> ShellAsync(string script, IReadOnlyDictionary<string, string> environment)
    {
        var result = await ShortCommand.RunAsync("/bin/bash", ["-c", script], environment, TimeSpan.FromSeconds(60));
        return (result.ExitCode, result.Output);
    }

    private (string Path, string Model) WriteConfig(string[]? apiKeys = null)
    {
        var path = Path.Combine(_work, $"config-{Guid.NewGuid():N}.yaml");
        var command = string.Join(' ', TestUpstreamBinary.Command(0).Take(2).Select(a => $"'{a}'"));
        var keys = apiKeys is null ? "" : $"apiKeys: [{string.Join(", ", apiKeys)}]\n";
        File.WriteAllText(path, keys + $"""
            healthCheckTimeout: 30
            startPort: {FreePorts.Block(2)}
            models:
              cli-model:
                cmd: |
                  {command} --port ${"{"}PORT{"}"} --model cli-model --respond "hello from the cli"
            """);
        return (path, "cli-model");
    }

    private (string Cert, string Key) WriteSelfSignedCertificate()
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        var cert = Path.Combine(_work, "cert.pem");
        var key = Path.Combine(_work, "key.pem");
        File.WriteAllText(cert, certificate.ExportCertificatePem());
        File.WriteAllText(key, rsa.ExportPkcs8PrivateKeyPem());
        return (cert, key);
    }

    private static async Task ChatAsync(HttpClient http, string frontDoor, string model)
    {
        using var response = await http.PostAsync(frontDoor + "/v1/chat/completions", new StringContent(
            $$"""{"model":"{{model}}","messages":[{"role":"user","content":"hello"}]}""", Encoding.UTF8, "application/json"));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode} {body}");
        using var reply = JsonDocument.Parse(body);
        Assert.Equal("hello from the cli", reply.RootElement.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
    }
}
