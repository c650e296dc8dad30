using LlamaSwap.Core.Configuration;

namespace LlamaSwap.Tests.Configuration;

/// <summary>
/// Per-model <c>timeouts</c> and <c>compat</c> (reference 1.4) and top-level <c>upstream.ignorePaths</c>
/// (1.3; 6.2 Timeouts*, UpstreamIgnorePaths_*).
/// </summary>
public sealed class UpstreamSettingsTests
{
    private const string DefaultPattern = @".*\.(js|json|css|png|gif|jpg|jpeg|ico|txt)$";

    [Fact]
    public void Timeouts_Absent_LocalDefaults()
    {
        var config = ConfigAssert.Loads("""
            models:
              m: { cmd: "svr ${PORT}" }
            """);

        var timeouts = config.Models["m"].Timeouts;
        Assert.Equal((30, 30, 0, 10, 1, 90), (timeouts.ConnectSeconds, timeouts.KeepAliveSeconds, timeouts.ResponseHeaderSeconds,
            timeouts.TlsHandshakeSeconds, timeouts.ExpectContinueSeconds, timeouts.IdleConnSeconds));
    }

    [Fact]
    public void Timeouts_AllKeys_ReadIncludingZeroAndMacros()
    {
        var config = ConfigAssert.Loads("""
            macros:
              slow: 300
            models:
              m:
                cmd: svr ${PORT}
                timeouts: { connect: 5, keepalive: 0, responseHeader: "${slow}", tlsHandshake: 3, expectContinue: 2, idleConn: 7 }
            """);

        Assert.Equal(
            new UpstreamTimeouts { ConnectSeconds = 5, KeepAliveSeconds = 0, ResponseHeaderSeconds = 300, TlsHandshakeSeconds = 3, ExpectContinueSeconds = 2, IdleConnSeconds = 7 },
            config.Models["m"].Timeouts);
    }

    [Fact]
    public void Timeouts_Negative_ErrorPerKey()
    {
        var result = ConfigAssert.Fails("""
            models:
              m:
                cmd: svr ${PORT}
                timeouts: { connect: -1, idleConn: -5 }
            """);

        ConfigAssert.HasError(result, "models.m.timeouts.connect", "connect must be >= 0 (0 disables it), got -1");
        ConfigAssert.HasError(result, "models.m.timeouts.idleConn", "idleConn must be >= 0 (0 disables it), got -5");
    }

    [Fact]
    public void Timeouts_UnknownKey_Warns()
    {
        var result = ConfigLoader.LoadYaml("""
            models:
              m: { cmd: "svr ${PORT}", timeouts: { dial: 3 } }
            """, ConfigAssert.NoEnvironment);

        Assert.True(result.Succeeded);
        ConfigAssert.HasWarning(result, "models.m.timeouts.dial", "unknown key \"dial\"");
    }

    [Fact]
    public void PeerTimeouts_ExpectContinue_IsNotAPeerKey()
    {
        var result = ConfigLoader.LoadYaml("""
            models: {}
            peers:
              p: { proxy: "http://peer", models: [a], timeouts: { expectContinue: 5 } }
            """, ConfigAssert.NoEnvironment);

        Assert.True(result.Succeeded, string.Join('\n', result.Errors));
        ConfigAssert.HasWarning(result, "peers.p.timeouts.expectContinue", "unknown key \"expectContinue\"");
        Assert.Equal(UpstreamTimeouts.PeerDefaults, result.Config!.Peers.ById["p"].Timeouts);
    }

    [Fact]
    public void Compat_IgnoreWebsockets_ReadAndDefaultsFalse()
    {
        var config = ConfigAssert.Loads("""
            models:
              a: { cmd: "svr ${PORT}", compat: { ignoreWebsockets: true } }
              b: { cmd: "svr ${PORT}" }
              comfyui_auto: { cmd: "svr ${PORT}" }
            """);

        Assert.True(config.Models["a"].IgnoreWebsockets);
        Assert.False(config.Models["b"].IgnoreWebsockets);
        Assert.True(config.Models["comfyui_auto"].IgnoreWebsockets);
    }

    [Theory]
    [InlineData("")]
    [InlineData("upstream: {}\n")]
    [InlineData("upstream: { ignorePaths: [] }\n")]
    public void UpstreamIgnorePaths_AbsentOrEmpty_DefaultApplied(string upstream)
    {
        var config = ConfigAssert.Loads(upstream + "models: {}\n");

        Assert.Equal(DefaultPattern, Assert.Single(config.UpstreamIgnorePaths).ToString());
        Assert.Matches(config.UpstreamIgnorePaths[0], "/static/app.js");
    }

    [Fact]
    public void UpstreamIgnorePaths_Configured_ReplaceTheDefault()
    {
        var config = ConfigAssert.Loads("""
            upstream:
              ignorePaths: ['^/ws$', '^/api/jobs$']
            models: {}
            """);

        Assert.Equal(["^/ws$", "^/api/jobs$"], config.UpstreamIgnorePaths.Select(r => r.ToString()));
        Assert.True(config.UpstreamIgnorePaths.All(r => r.MatchTimeout > TimeSpan.Zero && r.MatchTimeout != System.Text.RegularExpressions.Regex.InfiniteMatchTimeout));
    }

    [Fact]
    public void UpstreamIgnorePaths_InvalidRegex_ErrorWithPath()
    {
        var result = ConfigAssert.Fails("""
            upstream:
              ignorePaths: ['^/ok$', '([unclosed']
            models: {}
            """);

        var error = Assert.Single(result.Errors);
        Assert.Equal("upstream.ignorePaths[1]", error.Path);
        Assert.StartsWith("invalid regular expression \"([unclosed\"", error.Message, StringComparison.Ordinal);
    }
}
