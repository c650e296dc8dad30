using LlamaSwap.Core.Configuration;
using LlamaSwap.Core.Configuration.Reporting;

namespace LlamaSwap.Tests.Configuration.Reporting;

/// <summary>What a service writes about its config at start-up: each problem once, and only where it belongs.</summary>
public sealed class StartupConfigTests
{
    private const string Warned = "models:\n  m:\n    cmd: s ${PORT}\n    tll: 5\n";

    private const string Broken = "modles:\n  m:\n    cmd: s\nstartPort: -1\nmodels:\n  n:\n    cmd: s ${PORT}\n    ttl: soon\n";

    [Fact]
    public void Report_Reporter_ValidConfig_WritesEachWarningOnce()
    {
        var (config, lines) = Report(Warned, ConfigDiagnosticsRole.Reporter);

        Assert.NotNull(config);
        Assert.Equal(["config warning: models.m.tll: unknown key \"tll\" at line 4 (did you mean \"ttl\"?); ignored"], lines);
    }

    [Fact]
    public void Report_Quiet_ValidConfig_WritesNothing()
    {
        var (config, lines) = Report(Warned, ConfigDiagnosticsRole.Quiet);

        Assert.NotNull(config);
        Assert.Empty(lines);
    }

    [Theory]
    [InlineData(ConfigDiagnosticsRole.Reporter)]
    [InlineData(ConfigDiagnosticsRole.Quiet)]
    public void Report_Refused_WritesTheWarningsThenEveryErrorOnce(ConfigDiagnosticsRole role)
    {
        var (config, lines) = Report(Broken, role);

        Assert.Null(config);
        Assert.Equal(
            [
                "config warning: modles: unknown key \"modles\" at line 1 (did you mean \"models\"?); ignored",
                "invalid config /etc/llama.yaml: 2 error(s); not starting",
                "  startPort: startPort must be greater than 1",
                "  models.n.ttl: expected an integer, got \"soon\"",
            ],
            lines);
    }

    private static (LlamaSwapConfig? Config, string[] Lines) Report(string yaml, ConfigDiagnosticsRole role)
    {
        using var output = new StringWriter();
        var config = StartupConfig.Report(ConfigLoader.LoadYaml(yaml, ConfigAssert.NoEnvironment), "/etc/llama.yaml", role, output);
        return (config, output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
    }
}
