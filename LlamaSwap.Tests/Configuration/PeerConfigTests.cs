using LlamaSwap.Core.Configuration;

namespace LlamaSwap.Tests.Configuration;

/// <summary><c>peers</c> (reference 1.8, 6.2 PeerApiKey_EnvMacros, Timeouts*, FQN collisions).</summary>
public sealed class PeerConfigTests
{
    [Fact]
    public void LoadYaml_Peer_ReadsEverySettingWithEnvApiKey()
    {
        var config = ConfigAssert.Loads("""
            peers:
              openrouter:
                proxy: https://openrouter.ai/api
                apiKey: ${env.OR_KEY}
                models: [meta-llama/llama-3.1-8b-instruct, z-ai/glm-4.7]
                filters:
                  stripParams: "top_p, temperature"
                  setParams: { provider: { zdr: true } }
                timeouts: { connect: 5, keepalive: 0, responseHeader: 120, tlsHandshake: 3, idleConn: 7 }
            """, new Dictionary<string, string> { ["OR_KEY"] = "sk-or-1" });

        var peer = config.Peers.ById["openrouter"];
        Assert.Equal(new Uri("https://openrouter.ai/api"), peer.Proxy);
        Assert.Equal("sk-or-1", peer.ApiKey);
        Assert.Equal(["meta-llama/llama-3.1-8b-instruct", "z-ai/glm-4.7"], peer.Models);
        Assert.Equal(["temperature", "top_p"], peer.Filters.StripParams);
        Assert.Equal("""{"provider":{"zdr":true}}""", peer.Filters.SetParams!.ToJsonString());
        Assert.Equal(new UpstreamTimeouts { ConnectSeconds = 5, KeepAliveSeconds = 0, ResponseHeaderSeconds = 120, TlsHandshakeSeconds = 3, IdleConnSeconds = 7 }, peer.Timeouts);
    }

    [Fact]
    public void LoadYaml_PeerWithoutTimeoutsOrKey_GetsDefaults_ResponseHeaderSixty()
    {
        var config = ConfigAssert.Loads("""
            peers:
              p: { proxy: "http://10.0.0.2:8080", models: [m] }
            """);

        var peer = config.Peers.ById["p"];
        Assert.Null(peer.ApiKey);
        Assert.Same(ModelFilters.None, peer.Filters);
        Assert.Equal(30, peer.Timeouts.ConnectSeconds);
        Assert.Equal(30, peer.Timeouts.KeepAliveSeconds);
        Assert.Equal(60, peer.Timeouts.ResponseHeaderSeconds);
        Assert.Equal(10, peer.Timeouts.TlsHandshakeSeconds);
        Assert.Equal(90, peer.Timeouts.IdleConnSeconds);
    }

    [Fact]
    public void LoadYaml_PeerMissingProxyAndModels_ReportsBothWithPaths()
    {
        var result = ConfigAssert.Fails("""
            peers:
              a: { apiKey: k }
              b: { proxy: "not a url", models: [] }
              c: { proxy: "ftp://x", models: [m, "", m] }
            """);

        ConfigAssert.HasError(result, "peers.a.proxy", "proxy is required");
        ConfigAssert.HasError(result, "peers.a.models", "models is required");
        ConfigAssert.HasError(result, "peers.b.proxy", "absolute http(s) URL");
        ConfigAssert.HasError(result, "peers.b.models", "at least one model");
        ConfigAssert.HasError(result, "peers.c.proxy", "absolute http(s) URL");
        ConfigAssert.HasError(result, "peers.c.models[1]", "must not be empty");
        ConfigAssert.HasError(result, "peers.c.models[2]", "duplicate peer model m");
    }

    [Fact]
    public void LoadYaml_NegativeTimeoutAndUnknownKeys_ErrorAndWarningsWithPaths()
    {
        var result = ConfigLoader.LoadYaml("""
            peers:
              p:
                proxy: http://h
                models: [m]
                colour: blue
                timeouts: { connect: -1, dns: 4 }
                filters: { setParamsByID: { m: { a: 1 } } }
            """, ConfigAssert.NoEnvironment);

        ConfigAssert.HasError(result, "peers.p.timeouts.connect", "must be >= 0");
        ConfigAssert.HasWarning(result, "peers.p.colour", "unknown key \"colour\"");
        ConfigAssert.HasWarning(result, "peers.p.timeouts.dns", "unknown key \"dns\"");
        ConfigAssert.HasWarning(result, "peers.p.filters.setParamsByID", "not supported for peers");
        Assert.DoesNotContain(result.Warnings, w => w.Path == "peers");
    }

    [Fact]
    public void ResolvePeer_FqnAlways_BareOnlyWhenOnePeerListsIt()
    {
        var config = ConfigAssert.Loads("""
            peers:
              a: { proxy: http://a, models: [shared, only-a, org/model] }
              b: { proxy: http://b, models: [shared] }
            """);

        Assert.Equal(("a", "shared"), Target(config.ResolvePeer("a/shared")));
        Assert.Equal(("b", "shared"), Target(config.ResolvePeer("b/shared")));
        Assert.Null(config.ResolvePeer("shared"));
        Assert.Equal(("a", "only-a"), Target(config.ResolvePeer("only-a")));
        Assert.Equal(("a", "org/model"), Target(config.ResolvePeer("a/org/model")));
        Assert.Equal(("a", "org/model"), Target(config.ResolvePeer("org/model")));
        Assert.Null(config.ResolvePeer("c/shared"));
        Assert.Equal(["a/only-a", "a/org/model", "a/shared", "b/shared"], config.Peers.Models.Select(m => m.Fqn));
    }

    [Fact]
    public void ResolvePeer_LocalModelOrAliasWinsOverBarePeerName()
    {
        var config = ConfigAssert.Loads("""
            models:
              llama:
                cmd: svr ${PORT}
                aliases: [gpt-4o-mini]
            peers:
              p: { proxy: http://p, models: [llama, gpt-4o-mini] }
            """);

        Assert.Null(config.ResolvePeer("llama"));
        Assert.Null(config.ResolvePeer("gpt-4o-mini"));
        Assert.Equal(("p", "llama"), Target(config.ResolvePeer("p/llama")));
        Assert.Equal("llama", config.ResolveModelId("llama"));
    }

    [Fact]
    public void ResolvePeer_FqnBeatsAnotherPeersBareModelOfTheSameName()
    {
        // "b/c" is peer b's FQN and also a bare ID peer a lists: the FQN is reserved.
        var config = ConfigAssert.Loads("""
            peers:
              a: { proxy: http://a, models: [b/c] }
              b: { proxy: http://b, models: [c] }
            """);

        Assert.Equal(("b", "c"), Target(config.ResolvePeer("b/c")));
        Assert.Equal(("a", "b/c"), Target(config.ResolvePeer("a/b/c")));
    }

    [Fact]
    public void LoadYaml_LocalModelOrAliasEqualToAnFqn_IsAnError()
    {
        var result = ConfigAssert.Fails("""
            models:
              p/m:
                cmd: svr ${PORT}
              other:
                cmd: svr ${PORT}
                aliases: [p/n]
            peers:
              p: { proxy: http://p, models: [m, n] }
            """);

        ConfigAssert.HasError(result, "peers.p.models[0]", "same name as local model p/m");
        ConfigAssert.HasError(result, "peers.p.models[1]", "alias of local model other");
    }

    [Fact]
    public void LoadYaml_TwoPeersProducingTheSameFqn_IsAnError()
    {
        var result = ConfigAssert.Fails("""
            peers:
              a: { proxy: http://a, models: [b/c] }
              a/b: { proxy: http://ab, models: [c] }
            """);

        ConfigAssert.HasError(result, "peers.a/b.models[0]", "peer model a/b/c is also provided by peer a");
    }

    [Fact]
    public void LoadYaml_PeersNotAMapping_IsAnError()
    {
        var result = ConfigAssert.Fails("peers: [a, b]\n");
        ConfigAssert.HasError(result, "peers", "expected a mapping");
    }

    private static (string PeerId, string ModelId)? Target(PeerModel? model)
        => model is null ? null : (model.Peer.Id, model.ModelId);
}
