using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text;
using LlamaSwap.AuthProxy.Keys;
using LlamaSwap.Core.Configuration;
using LlamaSwap.Core.Security;
using LlamaSwap.Tests.Configuration;
using LlamaSwap.Tests.Gateway.Support;
using LlamaSwap.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace LlamaSwap.Tests.AuthProxy.Scopes;

/// <summary>The auth proxy on a real socket, with scoped keys from a config, in front of a recording fake gateway.</summary>
internal sealed class ScopedProxyHarness : IAsyncDisposable
{
    public const string ModelList = """
        {"object":"list","data":[
          {"id":"author/model","object":"model"},
          {"id":"fast","object":"model","meta":{"llamaswap":{"type":"alias","modelID":"qwen-small"}}},
          {"id":"llama","object":"model"},
          {"id":"qwen-big","object":"model"},
          {"id":"qwen-small","object":"model"}]}
        """;

    /// <summary>The key-claim secret the proxy signs with; the fake gateway verifies with it.</summary>
    public const string Secret = "scoped-proxy-test-secret";

    public static readonly string HashedSecretHex = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData("sk-hashed"u8));

    public static readonly string Yaml = $"""
        models:
          qwen-small: {"{"}cmd: "server --port ${"{"}PORT{"}"}", aliases: [fast]{"}"}
          qwen-big: {"{"}cmd: "server --port ${"{"}PORT{"}"}"{"}"}
          llama: {"{"}cmd: "server --port ${"{"}PORT{"}"}", aliases: [qwen-lookalike]{"}"}
          author/model: {"{"}cmd: "server --port ${"{"}PORT{"}"}"{"}"}
        apiKeys:
          - sk-full
          - {"{"}key: sk-inference, name: inference-only, scopes: [inference]{"}"}
          - {"{"}key: sk-read, name: read-only, scopes: [read]{"}"}
          - {"{"}key: sk-admin, name: admin-only, scopes: [admin]{"}"}
          - {"{"}key: sk-qwen, name: qwen, models: ["qwen-*"], scopes: [inference, read]{"}"}
          - {"{"}key: sk-author, name: author, models: ["author/*"]{"}"}
          - {"{"}sha256: {HashedSecretHex}, name: hashed, scopes: [read]{"}"}
          - {"{"}key: sk-expiring, name: expiring, expires: "2026-01-01T01:00:00Z"{"}"}
          - {"{"}key: sk-limited, name: limited, requestsPerMinute: 5{"}"}
        """;

    private ScopedProxyHarness(WebApplication proxy, WebApplication gateway, ManualTimeProvider clock)
    {
        Proxy = proxy;
        Gateway = gateway;
        Clock = clock;
        Client = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = new Uri(LoopbackServer.BoundUrl(proxy)) };
    }

    public WebApplication Proxy { get; }

    public WebApplication Gateway { get; }

    public ManualTimeProvider Clock { get; }

    /// <summary>Verifies claims on the proxy's clock, as the gateway would.</summary>
    public KeyClaimSigner Verifier => new(Secret, Clock);

    public HttpClient Client { get; }

    /// <summary>What the fake gateway received: method, path, the verified key claim's name, body.</summary>
    public ConcurrentQueue<(string Method, string Path, string KeyName, string Body)> Seen { get; } = new();

    public static LlamaSwapConfig LoadConfig() => ConfigAssert.Loads(Yaml);

    public static async Task<ScopedProxyHarness> StartAsync()
    {
        ScopedProxyHarness? harness = null;
        var (gateway, gatewayUrl) = await LoopbackServer.StartAsync(app => app.Map("/{**path}", (RequestDelegate)(async context =>
        {
            using var reader = new StreamReader(context.Request.Body);
            var body = await reader.ReadToEndAsync();
            var claim = context.Request.Headers[KeyClaimSigner.HeaderName].ToString() is { Length: > 0 } header
                ? harness!.Verifier.Verify(header, context.Request.Method, out var problem)?.Name ?? "invalid: " + problem
                : "";
            harness!.Seen.Enqueue((context.Request.Method, context.Request.Path.Value!, claim, body));
            if (context.Request.Path == "/v1/models" || context.Request.Path == "/models")
            {
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync(ModelList);
                return;
            }

            await context.Response.WriteAsync("gateway:" + body);
        })));

        var config = LoadConfig();
        var clock = new ManualTimeProvider();
        var proxy = LlamaSwap.AuthProxy.Program.BuildApp(
            ["--urls", "http://127.0.0.1:0", $"--services:gateway:http:0={gatewayUrl}", "--Logging:LogLevel:Default=Warning",
                $"--{KeyClaimSigner.SecretSetting}={Secret}"],
            services =>
            {
                services.AddSingleton(new ApiKeySet(config.KeyDefinitions));
                services.AddSingleton<TimeProvider>(clock);
            });
        await proxy.StartAsync();
        harness = new ScopedProxyHarness(proxy, gateway, clock);
        return harness;
    }

    public static HttpRequestMessage Request(HttpMethod method, string path, string key, string? jsonBody = null)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        if (jsonBody is not null)
        {
            request.Content = new StringContent(jsonBody, Encoding.UTF8, "application/json");
        }

        return request;
    }

    /// <summary>A request whose path is sent exactly as written (no client-side dot-segment removal or escaping).</summary>
    public HttpRequestMessage RawRequest(HttpMethod method, string path, string key)
    {
        var uri = new Uri(Client.BaseAddress + path.TrimStart('/'), new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = true });
        var request = new HttpRequestMessage(method, uri);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return request;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Proxy.DisposeAsync();
        await Gateway.DisposeAsync();
    }
}
