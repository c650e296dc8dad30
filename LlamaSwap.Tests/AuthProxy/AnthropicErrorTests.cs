using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Anthropic;
using Anthropic.Models.Messages;
using LlamaSwap.AuthProxy.Keys;
using LlamaSwap.Core.Configuration;
using LlamaSwap.Tests.Gateway.Support;
using LlamaSwap.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace LlamaSwap.Tests.AuthProxy;

/// <summary>
/// What the auth proxy refuses on the Anthropic Messages routes is answered in Anthropic's envelope,
/// which the Anthropic SDKs read the message from (issue 12); other routes keep llama-swap's.
/// </summary>
public sealed class AnthropicErrorTests : IAsyncLifetime
{
    private const int BodyLimit = 4096;
    private const string MessagesBody = """{"model":"m","max_tokens":8,"messages":[{"role":"user","content":"hi"}]}""";

    private static readonly ApiKeyConfig[] Keys =
    [
        ApiKeyConfig.Unrestricted("sk-full"),
        Key("sk-read", "read-only", k => k with { Scopes = ApiKeyScopes.Read }),
        Key("sk-limited", "limited", k => k with { RequestsPerMinute = 1 }),
    ];

    private WebApplication _gateway = null!;
    private WebApplication _proxy = null!;
    private HttpClient _client = null!;
    private int _forwarded;

    public async Task InitializeAsync()
    {
        (_gateway, var gatewayUrl) = await LoopbackServer.StartAsync(app => app.Map("/{**path}", (RequestDelegate)(async context =>
        {
            using var reader = new StreamReader(context.Request.Body);
            await reader.ReadToEndAsync();
            Interlocked.Increment(ref _forwarded);
            await context.Response.WriteAsync("gateway");
        })));
        _proxy = LlamaSwap.AuthProxy.Program.BuildApp(
            [
                "--urls", "http://127.0.0.1:0", $"--services:gateway:http:0={gatewayUrl}", "--Logging:LogLevel:Default=Warning",
                $"--AuthProxy:Limits:MaxRequestBodySize={BodyLimit}",
            ],
            services =>
            {
                services.AddSingleton(new ApiKeySet(Keys));

                // The per-minute window must not roll over between two requests of a test.
                services.AddSingleton<TimeProvider>(new ManualTimeProvider());
            });
        await _proxy.StartAsync();
        _client = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = new Uri(LoopbackServer.BoundUrl(_proxy)) };
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _proxy.DisposeAsync();
        await _gateway.DisposeAsync();
    }

    public static TheoryData<string> AnthropicPaths => ["/v1/messages", "/v1/messages/count_tokens", "/v/messages", "/v/messages/count_tokens", "/V1/Messages/"];

    [Theory]
    [MemberData(nameof(AnthropicPaths))]
    public async Task MissingKey_Is401AuthenticationError(string path)
    {
        using var request = Post(path, key: null);
        request.Headers.Accept.ParseAdd("text/plain");

        using var response = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Basic realm=\"llama-swap\"", response.Headers.WwwAuthenticate.ToString());
        await AssertAnthropicErrorAsync(response, "authentication_error", "unauthorized: invalid or missing API key");
        Assert.Equal(0, _forwarded);
    }

    [Fact]
    public async Task KeyWithoutTheScope_Is403PermissionError()
    {
        using var response = await _client.SendAsync(Post("/v1/messages", "sk-read"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        await AssertAnthropicErrorAsync(response, "permission_error", "this key lacks the inference scope for POST /v1/messages");
    }

    [Fact]
    public async Task OverTheRateLimit_Is429RateLimitError_WithRetryAfter()
    {
        using var first = await _client.SendAsync(Post("/v1/messages", "sk-limited"));
        using var second = await _client.SendAsync(Post("/v1/messages/count_tokens", "sk-limited"));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, second.StatusCode);
        Assert.NotNull(second.Headers.RetryAfter?.Delta);
        await AssertAnthropicErrorAsync(second, "rate_limit_error", "rate limit exceeded: key 'limited' is limited to 1 requests per minute");
    }

    [Fact]
    public async Task DeclaredBodyOverTheLimit_Is413RequestTooLarge()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages") { Content = new ByteArrayContent(new byte[BodyLimit + 1]) };
        request.Headers.Add("x-api-key", "sk-full");

        using var response = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        await AssertAnthropicErrorAsync(response, "request_too_large", $"request body larger than {BodyLimit} bytes");
    }

    [Fact]
    public async Task ChunkedBodyOverTheLimit_Is413RequestTooLarge()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages") { Content = new StreamContent(new MemoryStream(new byte[BodyLimit * 4])) };
        request.Headers.TransferEncodingChunked = true;
        request.Headers.Add("x-api-key", "sk-full");

        using var response = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        await AssertAnthropicErrorAsync(response, "request_too_large", "request body too large");
    }

    [Fact]
    public async Task Trace_Is405InvalidRequestError()
    {
        using var response = await _client.SendAsync(new HttpRequestMessage(HttpMethod.Trace, "/v1/messages"));

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        await AssertAnthropicErrorAsync(response, "invalid_request_error", "method TRACE is not allowed");
    }

    [Fact]
    public async Task GatewayDown_Is503OverloadedError()
    {
        await using var proxy = LlamaSwap.AuthProxy.Program.BuildApp(
            ["--urls", "http://127.0.0.1:0", "--services:gateway:http:0=http://127.0.0.1:1", "--Logging:LogLevel:Default=Critical"],
            services => services.AddSingleton(new ApiKeySet(Keys)));
        await proxy.StartAsync();
        using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = new Uri(LoopbackServer.BoundUrl(proxy)) };

        using var response = await client.SendAsync(Post("/v1/messages", "sk-full"));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.StartsWith("gateway unavailable: ", await AssertAnthropicErrorAsync(response, "overloaded_error", message: null), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenAiRoutes_KeepLlamaSwapsEnvelope()
    {
        using var response = await _client.SendAsync(Post("/v1/chat/completions", key: null));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("llama-swap", body.RootElement.GetProperty("src").GetString());
        Assert.Equal("unauthorized", body.RootElement.GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task AnthropicSdk_ShowsTheProxysMessage()
    {
        var baseUrl = LoopbackServer.BoundUrl(_proxy);
        var request = new MessageCreateParams
        {
            Model = "m",
            MaxTokens = 8,
            Messages = [new UserMessageParam { Content = "hi" }],
        };

        var wrongKey = await Assert.ThrowsAnyAsync<Exception>(
            () => new AnthropicClient { ApiKey = "sk-wrong", BaseUrl = baseUrl, MaxRetries = 0 }.Messages.Create(request));
        var wrongScope = await Assert.ThrowsAnyAsync<Exception>(
            () => new AnthropicClient { ApiKey = "sk-read", BaseUrl = baseUrl, MaxRetries = 0 }.Messages.Create(request));

        Assert.Contains("unauthorized: invalid or missing API key", wrongKey.Message, StringComparison.Ordinal);
        Assert.Contains("this key lacks the inference scope", wrongScope.Message, StringComparison.Ordinal);
    }

    private static ApiKeyConfig Key(string secret, string name, Func<ApiKeyConfig, ApiKeyConfig> shape)
        => shape(new ApiKeyConfig { Name = name, Sha256 = SHA256.HashData(Encoding.UTF8.GetBytes(secret)) });

    private static HttpRequestMessage Post(string path, string? key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(MessagesBody, Encoding.UTF8, "application/json") };
        if (key is not null)
        {
            request.Headers.Add("x-api-key", key);
        }

        request.Headers.Add("anthropic-version", "2023-06-01");
        return request;
    }

    /// <summary>Exactly <c>{"type":"error","error":{"type":..,"message":..}}</c>, as JSON whatever the Accept header said.</summary>
    /// <returns>The message.</returns>
    private static async Task<string> AssertAnthropicErrorAsync(HttpResponseMessage response, string type, string? message)
    {
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = body.RootElement;
        Assert.Equal(["type", "error"], root.EnumerateObject().Select(p => p.Name));
        Assert.Equal("error", root.GetProperty("type").GetString());
        var error = root.GetProperty("error");
        Assert.Equal(["type", "message"], error.EnumerateObject().Select(p => p.Name));
        Assert.Equal(type, error.GetProperty("type").GetString());
        var actual = error.GetProperty("message").GetString()!;
        if (message is not null)
        {
            Assert.Equal(message, actual);
        }

        return actual;
    }
}
