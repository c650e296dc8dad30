using LlamaSwap.Core.Configuration;
using LlamaSwap.Tests.Infrastructure;

namespace LlamaSwap.Tests.Configuration;

/// <summary>llama-swap's own annotated example must load here as it does there.</summary>
public sealed class ExampleConfigTests
{
    private const string UnlistedModelProxyPath = "models.unlisted-model.proxy";

    // OPENROUTER_API_KEY is the apiKey of the example's openrouter peer.
    internal static readonly Dictionary<string, string> Environment = new()
    {
        ["HOME"] = "/home/tester",
        ["API_KEY_1"] = "sk-env-one",
        ["API_KEY_2"] = "sk-env-two",
        ["OPENROUTER_API_KEY"] = "sk-or-test",
    };

    [Fact]
    public void LoadFile_ReferenceExample_LoadsAndDisablesOnlyTheModelWithoutPortOrProxy()
    {
        // The example's "unlisted-model" has neither ${PORT} in cmd nor a proxy. llama-swap refuses
        // the whole file for that; we load it and disable just that model, with llama-swap's message.
        var result = ConfigLoader.LoadFile(ExamplePath(), Environment);

        Assert.True(result.Succeeded, string.Join('\n', result.Errors));
        const string reason = "model unlisted-model: proxy uses ${PORT} but cmd does not - ${PORT} is only available when used in cmd";
        var warning = Assert.Single(result.Warnings, w => w.Path == UnlistedModelProxyPath);
        Assert.StartsWith(reason, warning.Message);
        Assert.Equal(reason, result.Config!.Models["unlisted-model"].DisabledReason);
        Assert.Null(result.Config.Models["gpt-oss-120b"].DisabledReason);
        Assert.Null(result.Config.Models["docker-llama"].DisabledReason);
    }

    [Fact]
    public void LoadYaml_ReferenceExampleWithUnlistedModelProxy_LoadsWithWarningsForUnsupportedKeys()
    {
        var result = ConfigLoader.LoadYaml(ExampleWithUnlistedModelProxy(), Environment);

        Assert.True(result.Succeeded, string.Join('\n', result.Errors));
        var config = result.Config!;

        Assert.Equal(500, config.HealthCheckTimeoutSeconds);
        Assert.Equal(10001, config.StartPort);
        Assert.True(config.SendLoadingState);
        Assert.Equal(["sk-hunter2", "sk-gyCPiKUcIfPlaM4OSMZekkprgijPx6+OsmQs8Rsg0xZ9qpy6gKWsIKqHOk+cgXVx", "sk-env-one", "sk-env-two"], config.ApiKeys);
        Assert.Equal(["docker-llama", "gpt-oss-120b", "unlisted-model"], config.Models.Keys);

        var docker = config.Models["docker-llama"];
        Assert.Equal(new Uri("http://127.0.0.1:10001"), docker.Proxy);
        Assert.Contains("10001:8080", docker.Command);
        Assert.Equal("/models/Qwen2.5-Coder-0.5B-Instruct-Q4_K_M.gguf", docker.Command[^1]);
        Assert.Equal(["docker", "stop", "docker-llama"], docker.StopCommand);

        // gpt-oss-120b gets ${PORT} through the ${latest-llama} macro, so it consumes the next port
        // even though its proxy is fixed.
        var gpt = config.Models["gpt-oss-120b"];
        Assert.Equal(
            ["/path/to/llama-server/llama-server-ec9e0301", "--port", "10002", "--model", "path/to/gpt-oss-120B.gguf",
             "--ctx-size", "16384", "--temperature", "0.7"],
            gpt.Command);
        Assert.Equal(new Uri("http://127.0.0.1:8999"), gpt.Proxy);
        Assert.Equal(["gpt-4o-mini", "gpt-oss-120b:high", "gpt-oss-120b:low"], gpt.Aliases);
        Assert.Equal("gpt-oss-120b", config.ResolveModelId("gpt-4o-mini"));
        Assert.Equal("/custom-endpoint", gpt.CheckEndpoint);
        Assert.Equal(60, gpt.TtlSeconds);
        Assert.Equal("gpt-oss 120B", gpt.Name);
        Assert.Equal("A thinking model from OpenAI", gpt.Description);
        Assert.Equal("openai/gpt-oss-120B", gpt.UseModelName);
        Assert.Equal([new KeyValuePair<string, string>("CUDA_VISIBLE_DEVICES", "0,1,2")], gpt.Env);
        Assert.Equal(10, gpt.ConcurrencyLimit);
        Assert.False(gpt.SendLoadingState);
        Assert.Equal(500, gpt.HealthCheckTimeoutSeconds);

        Assert.True(config.Models["unlisted-model"].Unlisted);
        Assert.Equal(["some-upstream-server"], config.Models["unlisted-model"].Command);

        // routing.router.settings.groups is read; its members are illustrative names the example
        // never defines, so all but docker-llama are dropped with a warning each. The only preload
        // entry ("llama") is a selector, which is not supported and thus dropped.
        Assert.Equal(RouterNames.Group, config.Router);
        Assert.Null(config.Matrix);
        Assert.Equal(["group1", "group2", "forever", GroupConfig.DefaultGroupId], config.Groups.Keys);
        Assert.Empty(config.Groups["group1"].Members);
        Assert.Equal(["docker-llama"], config.Groups["group2"].Members);
        Assert.False(config.Groups["group2"].Swap);
        Assert.False(config.Groups["group2"].Exclusive);
        Assert.True(config.Groups["forever"].Persistent);
        Assert.Empty(config.Groups["forever"].Members);
        Assert.Equal(["gpt-oss-120b", "unlisted-model"], config.Groups[GroupConfig.DefaultGroupId].Members);
        Assert.Equal("group2", config.GroupOf("docker-llama").Id);
        Assert.Empty(config.Preload);

        const string Groups = "routing.router.settings.groups";
        foreach (var (path, member) in new[]
                 {
                     ("group1.members[0]", "llama"), ("group1.members[1]", "qwen-unlisted"),
                     ("group2.members[1]", "modelA"), ("group2.members[2]", "modelB"),
                     ("forever.members[0]", "forever-modelA"), ("forever.members[1]", "forever-modelB"),
                     ("forever.members[2]", "forever-modelc"),
                 })
        {
            ConfigAssert.HasWarning(result, $"{Groups}.{path}", $"unknown model member '{member}' (ignored)");
        }

        // The matrix settings sit next to the groups but the group router is in use: not validated.
        var matrixWarning = Assert.Single(result.Warnings, w => w.Path.StartsWith("routing.router.settings.matrix", StringComparison.Ordinal));
        Assert.Equal(new ConfigDiagnostic("routing.router.settings.matrix", "ignored: routing.router.use is group"), matrixWarning);

        Assert.DoesNotContain(result.Warnings, w => w.Message.Contains("not supported yet", StringComparison.Ordinal));
        Assert.Equal(1000, config.Observability.MetricsMaxInMemory);
        Assert.Equal(15, config.Observability.CaptureBufferMegabytes);
        Assert.Equal(["X-Session-ID", "X-Litellm-Session-Id"], config.Observability.SessionIdHeaders);
        Assert.False(config.Observability.PerformanceDisabled);
        Assert.Equal(TimeSpan.FromSeconds(15), config.Observability.PerformanceEvery);

        Assert.DoesNotContain(result.Warnings, w => w.Path == "routing.router");

        // routing.scheduler is read; its priorities name models the example does not define.
        foreach (var unknown in new[] { "A", "B", "C", "D" })
        {
            ConfigAssert.HasWarning(result, $"routing.scheduler.settings.fifo.priority.{unknown}", $"unknown model '{unknown}'");
        }
    }

    [Fact]
    public void LoadYaml_ReferenceExample_GptOssFiltersMetadataAndCapabilities()
    {
        var result = ConfigLoader.LoadYaml(ExampleWithUnlistedModelProxy(), Environment);
        Assert.True(result.Succeeded, string.Join('\n', result.Errors));
        Assert.DoesNotContain(result.Warnings, w => w.Path.StartsWith("models.gpt-oss-120b.filters", StringComparison.Ordinal)
            || w.Path.StartsWith("models.gpt-oss-120b.metadata", StringComparison.Ordinal)
            || w.Path.StartsWith("models.gpt-oss-120b.capabilities", StringComparison.Ordinal));
        var config = result.Config!;
        var gpt = config.Models["gpt-oss-120b"];

        Assert.Equal(["temperature", "top_k", "top_p"], gpt.Filters.StripParams);
        Assert.Equal("""{"temperature":0.7,"top_p":0.9}""", gpt.Filters.SetParams!.ToJsonString());
        Assert.Equal(["gpt-oss-120b", "gpt-oss-120b:high", "gpt-oss-120b:low"], gpt.Filters.SetParamsById.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("""{"chat_template_kwargs":{"reasoning_effort":"high"}}""", gpt.Filters.SetParamsById["gpt-oss-120b:high"].ToJsonString());
        Assert.Equal("""{"chat_template_kwargs":{"reasoning_effort":"medium"}}""", gpt.Filters.SetParamsById["gpt-oss-120b"].ToJsonString());

        // setParamsByID keys other than the model's own ID route to it like aliases.
        Assert.Equal("gpt-oss-120b", config.ResolveModelId("gpt-oss-120b:high"));
        Assert.Equal("gpt-oss-120b", config.ResolveModelId("gpt-oss-120b:low"));
        Assert.False(config.Aliases.ContainsKey("gpt-oss-120b"));

        // Whole-value macros keep their type: ${PORT} an int, ${temp} a float, also inside lists.
        var metadata = gpt.Metadata!;
        Assert.Equal(10002L, metadata["port"]!.GetValue<long>());
        Assert.Equal(0.7, metadata["temperature"]!.GetValue<double>());
        Assert.Equal("The gpt-oss-120b is running on port 10002 temp=0.7, context=16384", metadata["note"]!.GetValue<string>());
        Assert.Equal("""{"a":"1","b":2,"c":[0.7,false,"model: gpt-oss-120b"]}""", metadata["an_obj"]!.ToJsonString());
        Assert.Equal("""[1,1.23,"macros are OK in list and dictionary types: gpt-oss-120b"]""", metadata["a_list"]!.ToJsonString());

        var capabilities = gpt.Capabilities!;
        Assert.Equal(["text", "audio", "image"], capabilities.In);
        Assert.Equal(["text", "audio", "image"], capabilities.Out);
        Assert.True(capabilities.Tools);
        Assert.False(capabilities.Reranker);
        Assert.Equal(32000, capabilities.Context);
        Assert.Null(config.Models["docker-llama"].Capabilities);
        Assert.Same(ModelFilters.None, config.Models["docker-llama"].Filters);
    }

    [Fact]
    public void LoadYaml_ReferenceExample_ModelTimeoutsCompatAndUpstreamIgnorePaths()
    {
        var result = ConfigLoader.LoadYaml(ExampleWithUnlistedModelProxy(), Environment);
        Assert.True(result.Succeeded, string.Join('\n', result.Errors));
        var config = result.Config!;

        var gpt = config.Models["gpt-oss-120b"];
        Assert.Equal(new UpstreamTimeouts { ConnectSeconds = 30, KeepAliveSeconds = 0, ResponseHeaderSeconds = 60, TlsHandshakeSeconds = 10, IdleConnSeconds = 90 }, gpt.Timeouts);
        Assert.True(gpt.IgnoreWebsockets);
        Assert.Equal(new UpstreamTimeouts(), config.Models["docker-llama"].Timeouts);
        Assert.False(config.Models["docker-llama"].IgnoreWebsockets);

        Assert.Equal([@".*\.(js|json|css|png|gif|jpg|jpeg|ico|txt)$", @"^\/ws$|^\/api\/jobs$"], config.UpstreamIgnorePaths.Select(r => r.ToString()));
        Assert.DoesNotContain(result.Warnings, w => w.Path.StartsWith("upstream", StringComparison.Ordinal) || w.Path.Contains(".timeouts", StringComparison.Ordinal) || w.Path.Contains(".compat", StringComparison.Ordinal));
    }

    [Fact]
    public void LoadYaml_ReferenceExample_PeersWithModelsKeyFiltersAndTimeouts()
    {
        var result = ConfigLoader.LoadYaml(ExampleWithUnlistedModelProxy(), Environment);
        Assert.True(result.Succeeded, string.Join('\n', result.Errors));
        Assert.DoesNotContain(result.Warnings, w => w.Path.StartsWith("peers", StringComparison.Ordinal));
        var peers = result.Config!.Peers;

        Assert.Equal(["llama-swap-peer", "openrouter"], peers.ById.Keys);
        var local = peers.ById["llama-swap-peer"];
        Assert.Equal(new Uri("http://192.168.1.23"), local.Proxy);
        Assert.Null(local.ApiKey);
        Assert.Equal(["model_a", "model_b", "embeddings/model_c"], local.Models);

        var openRouter = peers.ById["openrouter"];
        Assert.Equal(new Uri("https://openrouter.ai/api"), openRouter.Proxy);
        Assert.Equal("sk-or-test", openRouter.ApiKey);
        Assert.Equal(6, openRouter.Models.Count);
        Assert.Equal("z-ai/glm-4.7", openRouter.Models[3]);
        Assert.Equal(["temperature", "top_p"], openRouter.Filters.StripParams);
        Assert.Equal("""{"provider":{"data_collection":"deny","zdr":true}}""", openRouter.Filters.SetParams!.ToJsonString());
        Assert.Equal(UpstreamTimeouts.PeerDefaults, openRouter.Timeouts);

        Assert.Equal("embeddings/model_c", result.Config.ResolvePeer("llama-swap-peer/embeddings/model_c")!.ModelId);
        Assert.Same(openRouter, result.Config.ResolvePeer("deepseek/deepseek-v3.2")!.Peer);
    }

    [Fact]
    public void LoadYaml_ReferenceExample_ProfilesAndSelectorsDropUndefinedTargetsWithWarnings()
    {
        var result = ConfigLoader.LoadYaml(ExampleWithUnlistedModelProxy(), Environment);
        Assert.True(result.Succeeded, string.Join('\n', result.Errors));
        Assert.DoesNotContain(result.Warnings, w => w.Path is "profiles" or "selectors");
        var config = result.Config!;

        Assert.Equal(["coding-model", "llama", "llm-plan"], config.Selectors.Keys.Order(StringComparer.Ordinal));
        var warm = config.Selectors["coding-model"];
        Assert.Equal(SelectorStrategies.Warm, warm.Strategy);
        Assert.Equal(["gpt-oss-120b"], warm.Targets);
        Assert.Equal("Coding Model", warm.Name);
        Assert.Equal("Best currently loaded coding model", warm.Description);
        Assert.Equal("""{"purpose":"coding"}""", warm.Metadata!.ToJsonString());
        ConfigAssert.HasWarning(result, "selectors.coding-model.targets[1]", "unknown target 'qwen-unlisted' (ignored)");

        // A pin selector may name a peer model by its bare ID.
        var pin = config.Selectors["llm-plan"];
        Assert.Equal(SelectorStrategies.Pin, pin.Strategy);
        Assert.Equal(["gpt-oss-120b", "z-ai/glm-4.7"], pin.Targets);

        var spillover = config.Selectors["llama"];
        Assert.Equal(SelectorStrategies.Spillover, spillover.Strategy);
        Assert.Equal(["docker-llama"], spillover.Targets);
        Assert.Equal(4, spillover.Spillover);
        ConfigAssert.HasWarning(result, "selectors.llama.targets[1]", "unknown target 'modelA' (ignored)");
        ConfigAssert.HasWarning(result, "selectors.llama.targets[2]", "unknown target 'modelB' (ignored)");

        var profile = Assert.Single(config.Profiles.Values);
        Assert.Equal("coding", profile.Id);
        Assert.Equal("Coding-focused model routing", profile.Description);
        Assert.Equal(new Dictionary<string, string?> { ["image-gen"] = null, ["llm-code"] = "gpt-oss-120b" }, profile.Pins);
        ConfigAssert.HasWarning(result, "profiles.coding.pins.llm-plan", "unknown target 'qwen-unlisted' (ignored)");
    }

    private static string ExampleWithUnlistedModelProxy()
    {
        var yaml = File.ReadAllText(ExamplePath()).ReplaceLineEndings("\n");
        const string Cmd = "    cmd: some-upstream-server\n";
        Assert.Contains(Cmd, yaml, StringComparison.Ordinal);
        return yaml.Replace(Cmd, Cmd + "    proxy: http://127.0.0.1:9000\n", StringComparison.Ordinal);
    }

    /// <summary>llama-swap's example config, kept in the repository (LlamaSwapExample/README.md).</summary>
    internal static string ExamplePath()
        => Path.Combine(RepoLayout.Root, "LlamaSwap.Tests", "Configuration", "LlamaSwapExample", "config.example.yaml");
}
