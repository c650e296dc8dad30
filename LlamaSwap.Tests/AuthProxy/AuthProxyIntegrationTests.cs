using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using LlamaSwap.AuthProxy.Keys;
using LlamaSwap.Tests.Gateway.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace LlamaSwap.Tests.AuthProxy;

/// <summary>The auth proxy on a real socket in front of a fake gateway.</summary>
public sealed class AuthProxyIntegrationTests
{
    private const string Key = "sk-test-123";

    private sealed class Harness : IAsyncDisposable
    {
        public required WebApplication Proxy { get; init; }

        public WebApplication? Gateway { get; init; }

        public required HttpClient Client { get; init; }

        public ConcurrentQueue<(string Path, string Authorization, string ApiKey, string Body)> Seen { get; } = new();

        public TaskCompletionSource SseGate { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async ValueTask DisposeAsync()
        {
            Client.Dispose();
            await Proxy.DisposeAsync();
            if (Gateway is not null)
            {
                await Gateway.DisposeAsync();
            }
        }
    }

    private static async Task<Harness> StartAsync(bool gatewayUp = true, string[]? keys = null)
    {
        Harness? harness = null;
        WebApplication? gateway = null;
        var gatewayUrl = "http://127.0.0.1:1";
        if (gatewayUp)
        {
            (gateway, gatewayUrl) = await LoopbackServer.StartAsync(app => app.Map("/{**path}", (RequestDelegate)(async context =>
            {
                using var reader = new StreamReader(context.Request.Body);
                var body = await reader.ReadToEndAsync();
                harness!.Seen.Enqueue((context.Request.Path.Value!, context.Request.Headers.Authorization.ToString(), context.Request.Headers["x-api-key"].ToString(), body));
                if (context.Request.Path == "/sse")
                {
                    context.Response.ContentType = "text/event-stream";
                    await context.Response.WriteAsync("data: 1\n\n");
                    await context.Response.Body.FlushAsync();
                    await harness.SseGate.Task.WaitAsync(TimeSpan.FromSeconds(30));
                    await context.Response.WriteAsync("data: 2\n\n");
                    return;
                }

                await context.Response.WriteAsync("gateway:" + body);
            })));
        }

        var proxy = LlamaSwap.AuthProxy.Program.BuildApp(
            ["--urls", "http://127.0.0.1:0", $"--services:gateway:http:0={gatewayUrl}", "--Logging:LogLevel:Default=Warning"],
            services => services.AddSingleton(new ApiKeySet(keys ?? [Key])));
        await proxy.StartAsync();
        harness = new Harness
        {
            Proxy = proxy,
            Gateway = gateway,
            Client = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = new Uri(LoopbackServer.BoundUrl(proxy)) },
        };
        return harness;
    }

    private static HttpRequestMessage Post(string path, Action<HttpRequestHeaders>? headers = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent("""{"model":"m"}""", Encoding.UTF8, "application/json") };
        headers?.Invoke(request.Headers);
        return request;
    }

    [Fact]
    public async Task MissingKey_Is401WithChallengeAndEnvelope_NotForwarded()
    {
        await using var harness = await StartAsync();

        using var response = await harness.Client.SendAsync(Post("/v1/chat/completions"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Basic realm=\"llama-swap\"", response.Headers.WwwAuthenticate.ToString());
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("unauthorized: invalid or missing API key", body.RootElement.GetProperty("error").GetProperty("message").GetString());
        Assert.Equal("authentication_error", body.RootElement.GetProperty("error").GetProperty("type").GetString());
        Assert.Empty(harness.Seen);
    }

    [Fact]
    public async Task WrongKey_Is401()
    {
        await using var harness = await StartAsync();
        using var response = await harness.Client.SendAsync(Post("/v1/chat/completions", h => h.Authorization = new("Bearer", "sk-wrong")));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    public static TheoryData<string> KeyStyles => ["bearer", "basic", "x-api-key"];

    [Theory]
    [MemberData(nameof(KeyStyles))]
    public async Task ValidKey_IsForwarded_WithKeysStripped(string style)
    {
        await using var harness = await StartAsync();
        using var request = Post("/v1/chat/completions?x=1", h =>
        {
            switch (style)
            {
                case "bearer":
                    h.Authorization = new("Bearer", Key);
                    break;
                case "basic":
                    h.Authorization = new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("user:" + Key)));
                    break;
                default:
                    h.Add("x-api-key", Key);
                    break;
            }
        });

        using var response = await harness.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("gateway:{\"model\":\"m\"}", await response.Content.ReadAsStringAsync());
        var seen = Assert.Single(harness.Seen);
        Assert.Equal("/v1/chat/completions", seen.Path);
        Assert.Equal("", seen.Authorization);
        Assert.Equal("", seen.ApiKey);
    }

    [Fact]
    public async Task Health_IsAnsweredByTheProxy_WithoutKey()
    {
        await using var harness = await StartAsync();
        Assert.Equal("OK", await harness.Client.GetStringAsync("/health"));
        Assert.Empty(harness.Seen);
    }

    [Fact]
    public async Task Options_IsAnsweredByTheProxyWithoutKey_NotForwarded()
    {
        await using var harness = await StartAsync();
        using var response = await harness.Client.SendAsync(new HttpRequestMessage(HttpMethod.Options, "/v1/chat/completions"));
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal("*", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Empty(harness.Seen);
    }

    [Fact]
    public async Task NoKeysConfigured_IsOpen()
    {
        await using var harness = await StartAsync(keys: []);
        using var response = await harness.Client.SendAsync(Post("/v1/chat/completions"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task GatewayDown_Is503WithRetryAfter_AndAnEnvelope()
    {
        await using var harness = await StartAsync(gatewayUp: false);

        using var response = await harness.Client.SendAsync(Post("/v1/chat/completions", h => h.Add("x-api-key", Key)));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(1), response.Headers.RetryAfter?.Delta);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.StartsWith("gateway unavailable: ", body.RootElement.GetProperty("error").GetProperty("message").GetString());
        Assert.Equal("service_unavailable", body.RootElement.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal("server_error", body.RootElement.GetProperty("error").GetProperty("type").GetString());
    }

    [Fact]
    public async Task Sse_StreamsThroughBeforeTheGatewayFinishes()
    {
        await using var harness = await StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/sse");
        request.Headers.Authorization = new("Bearer", Key);

        using var response = await harness.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());

        // The fake gateway is parked on its gate, so this line can only arrive if nothing buffers.
        Assert.Equal("data: 1", await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(10)));
        harness.SseGate.SetResult();
        Assert.Contains("data: 2", await reader.ReadToEndAsync());
    }
}
