using System.Text;
using LlamaSwap.Core.Configuration;
using LlamaSwap.Gateway.Logs;
using Microsoft.Extensions.Logging;

namespace LlamaSwap.Tests.Gateway.Logs;

public sealed class LogHubTests
{
    [Theory]
    [InlineData("proxy", "proxy line\n")]
    [InlineData("upstream", "upstream line\n")]
    [InlineData("both", "proxy line\nupstream line\n")]
    [InlineData("none", "")]
    public void Combined_FollowsLogToStdout(string logToStdout, string expected)
    {
        var hub = new LogHub();
        hub.Apply(new LlamaSwapConfig { LogToStdout = logToStdout });

        hub.WriteProxy("proxy line\n");
        hub.WriteUpstream("m1", "upstream line\n");

        Assert.Equal(expected, Text(hub.Combined.GetHistory()));
        Assert.Equal("proxy line\n", Text(hub.Proxy.GetHistory()));
        Assert.Equal("upstream line\n", Text(hub.Upstream.GetHistory()));
    }

    [Fact]
    public void WriteUpstream_GoesToThatModelOnly()
    {
        var hub = new LogHub();

        hub.WriteUpstream("org/m1", "one\n");
        hub.WriteUpstream("m2", "two\n");

        Assert.Equal("one\n", Text(hub.ForModel("org/m1").GetHistory()));
        Assert.Equal("two\n", Text(hub.ForModel("m2").GetHistory()));
        Assert.Equal("one\ntwo\n", Text(hub.Upstream.GetHistory()));
    }

    [Fact]
    public void Apply_Again_UpdatesLevelAndTimeButKeepsTheStartupRouting()
    {
        var hub = new LogHub();
        hub.Apply(new LlamaSwapConfig { LogToStdout = "none" });

        hub.Apply(new LlamaSwapConfig { LogToStdout = "both", LogLevel = "debug", LogTimeFormat = "kitchen" });

        Assert.Equal(LogRouting.None, hub.Routing);
        Assert.Equal(LogLevel.Debug, hub.Settings.MinimumLevel);
        Assert.NotNull(hub.Settings.Timestamp);
    }

    private static string Text(byte[] bytes) => Encoding.UTF8.GetString(bytes);
}
