using System.Diagnostics;
using LlamaSwap.Core.Configuration.Reporting;
using LlamaSwap.Core.Processes;
using LlamaSwap.Tests.Infrastructure;
using Xunit.Abstractions;

namespace LlamaSwap.Tests.EndToEnd;

/// <summary>
/// Every problem of a config reaches the user once, with its location, however many services load
/// the config: the services used to list it each (the gateway as an unhandled exception), and the
/// AppHost with a config the supervisor refused waited for it forever without a word.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class ConfigErrorReportingTests(ITestOutputHelper output)
{
    private const string Typo = "modles: unknown key \"modles\" at line 1 (did you mean \"models\"?); ignored";

    // The typo'd models section is read as a top-level value: its ${PORT} is an error there.
    private const string Broken = "modles:\n  a:\n    cmd: echo ${PORT}\n";
    private const string BrokenError = "modles.a.cmd: unknown macro '${PORT}'";

    [Theory]
    [InlineData("LlamaSwap.Supervisor")]
    [InlineData("LlamaSwap.Gateway")]
    [InlineData("LlamaSwap.AuthProxy")]
    public async Task Service_WithAConfigError_ListsEachProblemOnce_AndExitsWithTheConfigCode(string service)
    {
        using var config = new TempConfig(Broken);
        var info = Dotnet(RepoLayout.ServiceDll(service));
        info.Environment["LLAMASWAP_CONFIG"] = config.Path;
        info.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{FreePorts.Next()}";
        info.Environment["services__supervisor__http__0"] = "http://127.0.0.1:1";
        info.Environment["services__gateway__http__0"] = "http://127.0.0.1:1";

        var (exitCode, text) = await RunToExitAsync(info, TimeSpan.FromSeconds(30));

        Assert.True(exitCode == StartupConfig.RefusedExitCode, $"exit code {exitCode}:\n{text}");
        Assert.Equal(1, Occurrences(text, Typo));
        Assert.Equal(1, Occurrences(text, BrokenError));
        Assert.DoesNotContain("Unhandled exception", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Now listening", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AppHost_WithAConfigError_ListsEachProblemOnce_AndStartsNothing()
    {
        using var config = new TempConfig(Broken);
        var info = Dotnet(RepoLayout.ServiceDll("LlamaSwap.AppHost"));
        foreach (var arg in new[] { "--config", config.Path, "--no-dashboard", "--port", FreePorts.Next().ToString(), "--proxy-port", FreePorts.Next().ToString() })
        {
            info.ArgumentList.Add(arg);
        }

        var (exitCode, text) = await RunToExitAsync(info, TimeSpan.FromSeconds(60));
        output.WriteLine(text);

        Assert.Equal(1, exitCode);
        Assert.Equal(1, Occurrences(text, Typo));
        Assert.Equal(1, Occurrences(text, BrokenError));
        Assert.Contains($"invalid config {config.Path}: 1 error(s); not starting", text, StringComparison.Ordinal);

        // Refused before Aspire started anything: no resource wrote a line.
        Assert.DoesNotContain("supervisor |", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AppHost_Running_ListsEachWarningOnce_ARefusedReloadOnce_AndDoesNotRestartAServiceThatRefusesTheConfig()
    {
        const string Warned = "models:\n  m:\n    cmd: server --port ${PORT}\n    tll: 5\n";
        const string Warning = "models.m.tll: unknown key \"tll\" at line 4 (did you mean \"ttl\"?); ignored";
        const string Error = "models.m.ttl: expected an integer, got \"soon\"";
        using var config = new TempConfig(Warned);
        await using var appHost = await RunningAppHost.StartAsync(config.Path);

        // The supervisor is the config's reporter; the gateway and the auth proxy started after it, quietly.
        Assert.Equal(1, Occurrences(appHost.Output, Warning));

        await File.WriteAllTextAsync(config.Path, Warned + "    ttl: soon\n");
        PosixSignals.SignalProcess(appHost.Pid, PosixSignals.SigHup);
        await Eventually.TrueAsync(
            () => Occurrences(appHost.Output, "listed by the supervisor") == 2 && appHost.Output.Contains(Error, StringComparison.Ordinal),
            "every service refused the reload", TimeSpan.FromSeconds(30));
        Assert.Equal(1, Occurrences(appHost.Output, Error));
        Assert.Equal(2, Occurrences(appHost.Output, Warning));

        // A crash now: the gateway comes back to a config it refuses, says so once, and stays down.
        PosixSignals.SignalProcess(appHost.ServicePid("LlamaSwap.Gateway"), PosixSignals.SigKill);
        await Eventually.TrueAsync(
            () => appHost.Output.Contains("gateway exited: it refused the config", StringComparison.Ordinal),
            "the AppHost reports the refusal", TimeSpan.FromSeconds(60));
        Assert.Equal(2, Occurrences(appHost.Output, Error));

        // The config fixed and reloaded: had the gateway been restarted in a loop, it would have refused again meanwhile.
        await File.WriteAllTextAsync(config.Path, "models:\n  m:\n    cmd: server --port ${PORT}\n");
        PosixSignals.SignalProcess(appHost.Pid, PosixSignals.SigHup);
        await Eventually.TrueAsync(
            () => Occurrences(appHost.Output, "Reloaded " + config.Path) >= 2, "the supervisor and the auth proxy reloaded", TimeSpan.FromSeconds(30));
        Assert.Equal(1, Occurrences(appHost.Output, "exited unexpectedly"));
        Assert.Equal(1, Occurrences(appHost.Output, "refused the config"));
        Assert.Equal(2, Occurrences(appHost.Output, Error));
    }

    private static ProcessStartInfo Dotnet(string dll)
    {
        var info = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(dll);
        foreach (var inherited in new[] { "LLAMASWAP_CONFIG", "LLAMASWAP_CONFIG_DIR", "ASPNETCORE_URLS", "API_KEYS" })
        {
            info.Environment.Remove(inherited);
        }

        return info;
    }

    private static async Task<(int ExitCode, string Output)> RunToExitAsync(ProcessStartInfo info, TimeSpan deadline)
    {
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(deadline);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await stdout + await stderr);
    }

    private static int Occurrences(string text, string value)
    {
        var count = 0;
        for (var at = text.IndexOf(value, StringComparison.Ordinal); at >= 0; at = text.IndexOf(value, at + value.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    private sealed class TempConfig : IDisposable
    {
        private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("llamaswap-configreport-");

        public TempConfig(string yaml)
        {
            Path = System.IO.Path.Combine(_directory.FullName, "config.yaml");
            File.WriteAllText(Path, yaml);
        }

        public string Path { get; }

        public void Dispose() => _directory.Delete(recursive: true);
    }
}
