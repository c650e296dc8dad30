using LlamaSwap.Cli.Autostart;
using LlamaSwap.Tests.Infrastructure;

namespace LlamaSwap.Tests.Cli.Autostart;

/// <summary><c>autostart install</c>/<c>uninstall</c>: the seed's autostart scripts, checked by the tools that read the files.</summary>
public sealed class AutostartTests : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("llamaswap-autostart-").FullName;

    public void Dispose() => Directory.Delete(_work, recursive: true);

    [Fact]
    public async Task SystemdUnit_IsWrittenForTheStartFlags_VerifiedBySystemd_AndRemoved()
    {
        var config = Path.Combine(_work, "my config.yaml");
        File.WriteAllText(config, "models: {}\n");
        var environment = new Dictionary<string, string> { ["XDG_CONFIG_HOME"] = _work };

        var install = await RunningCli.RunAsync(["autostart", "install", "--platform", "linux", "--no-enable", "--config", "my config.yaml", "--listen", "127.0.0.1:8080", "--no-watch"], _work, environment);
        Assert.True(install.ExitCode == 0, install.Output);
        var unitPath = Path.Combine(_work, "systemd", "user", "llamaswap.service");
        var unit = File.ReadAllText(unitPath);

        Assert.Matches(@"(?m)^ExecStart=\S+ .*start --config ""[^""]*/my config\.yaml"" --listen 127\.0\.0\.1:8080 --no-watch$", unit);
        Assert.Contains("WantedBy=default.target", unit, StringComparison.Ordinal);
        Assert.Matches("(?m)^Environment=\"?PATH=/", unit);
        Assert.Contains($"WorkingDirectory={_work}", unit, StringComparison.Ordinal);

        var uninstall = await RunningCli.RunAsync(["autostart", "uninstall", "--platform", "linux", "--no-enable"], _work, environment);
        Assert.True(uninstall.ExitCode == 0, uninstall.Output);
        Assert.False(File.Exists(unitPath));
    }

    [ProgramFact("systemd-analyze")]
    public async Task SystemdUnit_PassesSystemdAnalyzeVerify()
    {
        var config = Path.Combine(_work, "100% my config.yaml");
        File.WriteAllText(config, "models: {}\n");
        var environment = new Dictionary<string, string> { ["XDG_CONFIG_HOME"] = _work };
        var install = await RunningCli.RunAsync(["autostart", "install", "--platform", "linux", "--no-enable", "--config", config, "--listen", ":8080"], _work, environment);
        Assert.True(install.ExitCode == 0, install.Output);

        var (code, text) = await ShortCommandAsync(ProgramFactAttribute.Find("systemd-analyze")!, "verify", Path.Combine(_work, "systemd", "user", "llamaswap.service"));
        Assert.True(code == 0, "systemd-analyze verify: " + text);
    }

    [Fact]
    public void SystemdQuoting_KeepsSpacesQuotesAndSpecifiers()
    {
        Assert.Equal("plain", SystemdUserUnit.Quote("plain"));
        Assert.Equal("\"a b\"", SystemdUserUnit.Quote("a b"));
        Assert.Equal("\"say \\\"hi\\\"\"", SystemdUserUnit.Quote("say \"hi\""));
        Assert.Equal("100%%", SystemdUserUnit.Quote("100%"));
        Assert.Equal("$$HOME", SystemdUserUnit.Quote("$HOME"));
    }

    [ProgramFact("python3")]
    public async Task LaunchAgent_IsAPlistLaunchdReads()
    {
        var config = Path.Combine(_work, "a&b.yaml");
        File.WriteAllText(config, "models: {}\n");
        var (code, plist) = await RunningCli.RunAsync(["autostart", "install", "--platform", "macos", "--print", "--config", config], _work);
        Assert.True(code == 0, plist);
        Assert.Contains("<key>RunAtLoad</key><true/>", plist, StringComparison.Ordinal);
        Assert.Contains("a&amp;b.yaml", plist, StringComparison.Ordinal);

        // No plutil here: Python's plistlib reads the format as launchd does.
        var file = Path.Combine(_work, "agent.plist");
        File.WriteAllText(file, plist);
        var (parsed, args) = await ShortCommandAsync(ProgramFactAttribute.Find("python3")!, "-c", "import plistlib,sys; p=plistlib.load(open(sys.argv[1],'rb')); print(p['Label']); print('\\n'.join(p['ProgramArguments']))", file);
        Assert.True(parsed == 0, args);
        var lines = args.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("dev.llamaswap", lines[0]);
        Assert.Contains("start", lines);
        Assert.Contains(config, lines);
    }

    private static async Task<(int Code, string Output)> ShortCommandAsync(string program, params string[] args)
    {
        var result = await ShortCommand.RunAsync(program, args, timeout: TimeSpan.FromSeconds(60));
        return (result.ExitCode, result.Output);
    }
}
