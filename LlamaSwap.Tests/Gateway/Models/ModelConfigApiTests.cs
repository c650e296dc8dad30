using System.Net;
using System.Text.Json;
using LlamaSwap.Core.Configuration;
using LlamaSwap.Tests.Gateway.Support;

namespace LlamaSwap.Tests.Gateway.Models;

/// <summary><c>GET /api/models/config/{model}</c>: one model's effective config for the model detail page, secrets hidden.</summary>
public sealed class ModelConfigApiTests
{
    private static LlamaSwapConfig Config(string upstream)
    {
        var config = GatewayHarness.DefaultConfig(upstream);
        var models = config.Models.ToDictionary();
        models["author/model"] = GatewayHarness.Model("author/model", upstream) with
        {
            CmdText = "llama-server --model m.gguf --api-key sk-cmd-secret --hf-token=hf_secret --port 5800",
            Command = ["llama-server", "--model", "m.gguf", "--api-key", "sk-cmd-secret", "--hf-token=hf_secret", "--port", "5800"],
            Env = [KeyValuePair.Create("HF_TOKEN", "hf_env_secret"), KeyValuePair.Create("CUDA_VISIBLE_DEVICES", "0")],
            TtlSeconds = 300,
            Capabilities = new ModelCapabilities { In = ["text", "image"], Out = ["text"], Tools = true, Context = 8192 },
        };
        return config with { Models = models };
    }

    [Fact]
    public async Task Config_OfAModelWithSlashes_HasItsSettings_AndNoSecrets()
    {
        await using var harness = await GatewayHarness.StartAsync(Config);

        using var response = await harness.Client.GetAsync("/api/models/config/author/model");
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain("secret", text, StringComparison.Ordinal);
        var body = JsonDocument.Parse(text).RootElement;
        Assert.Equal("author/model", body.GetProperty("id").GetString());
        Assert.Equal("llama-server --model m.gguf --api-key [REDACTED] --hf-token=[REDACTED] --port 5800", body.GetProperty("cmd").GetString());
        Assert.Equal(["llama-server", "--model", "m.gguf", "--api-key", "[REDACTED]", "--hf-token=[REDACTED]", "--port", "5800"],
            body.GetProperty("cmdArgs").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal(["HF_TOKEN=[REDACTED]", "CUDA_VISIBLE_DEVICES=[REDACTED]"], body.GetProperty("env").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal(300, body.GetProperty("ttl").GetInt32());
        Assert.Equal("/health", body.GetProperty("checkEndpoint").GetString());
        Assert.Equal(8192, body.GetProperty("capabilities").GetProperty("context").GetInt32());
        Assert.True(body.GetProperty("capabilities").GetProperty("tools").GetBoolean());
        Assert.Equal(30, body.GetProperty("timeouts").GetProperty("connect").GetInt32());
    }

    [Fact]
    public async Task Config_ByAlias_IsItsModel_AndAnUnknownNameIs404()
    {
        await using var harness = await GatewayHarness.StartAsync(Config);

        using var alias = await harness.Client.GetAsync("/api/models/config/gpt-4o-mini");
        using var unknown = await harness.Client.GetAsync("/api/models/config/nope");

        Assert.Equal(HttpStatusCode.OK, alias.StatusCode);
        var body = JsonDocument.Parse(await alias.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("llama", body.GetProperty("id").GetString());
        Assert.Equal("gpt-4o-mini", body.GetProperty("aliases")[0].GetString());
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Contains("model not found", await unknown.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
