using LlamaSwap.AppHost.Cli;

namespace LlamaSwap.Tests.AppHost;

public sealed class CommandLineTests
{
    [Fact]
    public void Parse_NoArguments_RunsDemoWithDefaultPorts()
    {
        var options = Assert.IsType<RunOptions>(CommandLine.Parse([], "/work"));

        Assert.Null(options.ConfigPath);
        Assert.Equal(8080, options.GatewayPort);
        Assert.Equal(3000, options.ProxyPort);
        Assert.Null(options.SupervisorPort);
        Assert.Null(options.RedisConnectionString);
        Assert.Equal(18888, options.DashboardPort);
        Assert.Empty(options.AspireArgs);
    }

    [Fact]
    public void Parse_DashboardPort_AndArgumentsAfterDoubleDash_GoToAspire()
    {
        var options = Assert.IsType<RunOptions>(CommandLine.Parse(["--dashboard-port", "19000", "--", "--environment", "Testing"], "/work"));

        Assert.Equal(19000, options.DashboardPort);
        Assert.True(options.Dashboard);
        Assert.False(Assert.IsType<RunOptions>(CommandLine.Parse(["--no-dashboard"], "/work")).Dashboard);
        Assert.Equal(["--environment", "Testing"], options.AspireArgs);
    }

    [Fact]
    public void Parse_RunOptions_AcceptsSpaceAndEqualsForms()
    {
        var config = Path.GetTempFileName();
        try
        {
            var options = Assert.IsType<RunOptions>(CommandLine.Parse(
                ["--config", config, "--port=9090", "--proxy-port", "3100", "--supervisor-port", "9091", "--redis", "localhost:6380"], "/work"));

            Assert.Equal(config, options.ConfigPath);
            Assert.Equal(9090, options.GatewayPort);
            Assert.Equal(3100, options.ProxyPort);
            Assert.Equal(9091, options.SupervisorPort);
            Assert.Equal("localhost:6380", options.RedisConnectionString);
        }
        finally
        {
            File.Delete(config);
        }
    }

    [Fact]
    public void Parse_Publish_DefaultsToPublishUnderCurrentDirectory()
    {
        var options = Assert.IsType<PublishOptions>(CommandLine.Parse(["publish"], "/work"));
        Assert.Equal("/work/publish", options.OutputDirectory);

        var custom = Assert.IsType<PublishOptions>(CommandLine.Parse(["publish", "--output", "out/x"], "/work"));
        Assert.Equal("/work/out/x", custom.OutputDirectory);
    }

    [Theory]
    [InlineData("--port", "0")]
    [InlineData("--port", "http")]
    [InlineData("--proxy-port", "70000")]
    [InlineData("--dashboard-port", "65534")]
    [InlineData("--nope", "1")]
    [InlineData("--config", "/does/not/exist.yaml")]
    public void Parse_InvalidOption_ThrowsUsageException(string name, string value) =>
        Assert.Throws<UsageException>(() => CommandLine.Parse([name, value], "/work"));

    [Fact]
    public void Parse_OptionWithoutValue_ThrowsUsageException() =>
        Assert.Throws<UsageException>(() => CommandLine.Parse(["--port"], "/work"));

    [Fact]
    public void Parse_Help_ReturnsHelp() => Assert.IsType<HelpCommand>(CommandLine.Parse(["publish", "--help"], "/work"));
}
