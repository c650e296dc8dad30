using System.Net;
using System.Net.Http.Headers;
using LlamaSwap.AuthProxy.Keys;
using LlamaSwap.AuthProxy.Scopes;
using LlamaSwap.Core.Configuration;
using LlamaSwap.Core.Contracts;
using LlamaSwap.Core.Security;
using LlamaSwap.Tests.Configuration;
using LlamaSwap.Tests.Gateway.Support;
using LlamaSwap.Tests.Gateway.Upstream;
using Microsoft.Extensions.DependencyInjection;

namespace LlamaSwap.Tests.Gateway.Comfy;

/// <summary>
/// <c>/comfyui</c> needs what <c>/upstream</c> needs: the inference scope (it is a way into one model),
/// and a key limited to other models cannot reach <c>comfyui_auto</c> through it.
/// </summary>
public sealed class ComfyUiScopeTests
{
    private const string Yaml = """
        models:
          comfyui_auto: {cmd: "comfy --port ${PORT}", proxy: "UPSTREAM"}
          alpha: {cmd: "server --port ${PORT}", proxy: "UPSTREAM"}
        apiKeys:
          - {key: sk-infer, name: infer, scopes: [inference]}
          - {key: sk-read, name: read, scopes: [read]}
          - {key: sk-alpha, name: alpha, models: ["alpha*"], scopes: [inference, read]}
        """;

    [Theory]
    [InlineData("GET", "/comfyui")]
    [InlineData("GET", "/comfyui/")]
    [InlineData("POST", "/comfyui/api/prompt")]
    [InlineData("DELETE", "/comfyui/api/queue")]
    public void Classify_ComfyUi_NeedsTheInferenceScope_LikeUpstream(string method, string path)
    {
        Assert.Equal(ScopeMiddleware.Classify("GET", "/upstream/m/health"), ScopeMiddleware.Classify(method, RequestPath.Normalize(path)!));
        Assert.Equal(ApiKeyScopes.Inference, ScopeMiddleware.Classify(method, RequestPath.Normalize(path)!));
    }

    [Theory]
    [InlineData("sk-infer", HttpStatusCode.OK)]
    [InlineData("sk-read", HttpStatusCode.Forbidden)]
    [InlineData("sk-alpha", HttpStatusCode.Forbidden)]
    [InlineData("sk-wrong", HttpStatusCode.Unauthorized)]
    public async Task ThroughTheAuthProxy_OnlyAnInferenceKeyForTheModelGetsIn(string key, HttpStatusCode expected)
    {
        LlamaSwapConfig? loaded = null;
        await using var gateway = await GatewayHarness.StartAsync(upstream => loaded = ConfigAssert.Loads(Yaml.Replace("UPSTREAM", upstream, StringComparison.Ordinal)));
        gateway.Supervisor.States.Add(UpstreamTestConfig.State(ModelStates.Ready, gateway.Upstream.Url) with { Model = ModelConfig.ComfyUiModelId });
        await using var proxy = LlamaSwap.AuthProxy.Program.BuildApp(
            ["--urls", "http://127.0.0.1:0", $"--services:gateway:http:0={gateway.Url}", "--Logging:LogLevel:Default=Warning",
                $"--{KeyClaimSigner.SecretSetting}={GatewayHarness.ClaimSecret}"],
            services => services.AddSingleton(new ApiKeySet(loaded!.KeyDefinitions)));
        await proxy.StartAsync();
        using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = new Uri(LoopbackServer.BoundUrl(proxy)) };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/comfyui/api/queue");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);

        using var response = await client.SendAsync(request);

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal(expected == HttpStatusCode.OK ? [ModelConfig.ComfyUiModelId] : [], gateway.Supervisor.Acquires.Select(a => a.Model));
    }
}
