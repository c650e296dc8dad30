using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using LlamaSwap.AuthProxy.Keys;
using LlamaSwap.AuthProxy.Limits;
using LlamaSwap.Core.Configuration;
using LlamaSwap.Core.Redis;
using LlamaSwap.Tests.Gateway.Support;
using LlamaSwap.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace LlamaSwap.Tests.AuthProxy.Limits;

/// <summary>
/// The auth proxy in-process on a real socket, in front of a stub gateway. The key check that sets
/// <see cref="AuthenticatedKey"/> is stood in for by a startup filter reading <c>X-Test-Key</c>.
/// </summary>
public sealed class KeyLimitsMiddlewareTests(LimitsRedisFixture redis) : IClassFixture<LimitsRedisFixture>
{
    private const string TestKeyHeader = "X-Test-Key";

    [Fact]
    public async Task OverRequestsPerMinute_Answers429WithRetryAfterAndTheEnvelope_ThenRecoversNextMinute()
    {
        var key = KeyLimiterTests.Key(rpm: 1);
        await using var harness = await Harness.StartAsync(await redis.ConnectAsync(), key);

        Assert.Equal(HttpStatusCode.OK, (await harness.SendAsync("/v1/chat/completions", key)).StatusCode);
        using var refused = await harness.SendAsync("/v1/chat/completions", key);

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(45), refused.Headers.RetryAfter?.Delta);
        using var body = JsonDocument.Parse(await refused.Content.ReadAsStringAsync());
        Assert.Equal("rate_limit_exceeded", body.RootElement.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal("rate_limit_error", body.RootElement.GetProperty("error").GetProperty("type").GetString());
        Assert.Contains(key.Name, body.RootElement.GetProperty("error").GetProperty("message").GetString());
        Assert.Single(harness.Seen);

        harness.Time.Advance(TimeSpan.FromSeconds(45));
        Assert.Equal(HttpStatusCode.OK, (await harness.SendAsync("/v1/chat/completions", key)).StatusCode);
    }

    [Fact]
    public async Task MaxConcurrent_AStreamingResponseHoldsItsSlotUntilItEnds()
    {
        var key = KeyLimiterTests.Key(concurrent: 1);
        await using var harness = await Harness.StartAsync(await redis.ConnectAsync(), key);

        using var stream = await harness.SendAsync("/sse", key, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, stream.StatusCode);
        using (var refused = await harness.SendAsync("/v1/chat/completions", key))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(1), refused.Headers.RetryAfter?.Delta);
        }

        harness.SseGate.SetResult();
        Assert.Contains("data: 2", await stream.Content.ReadAsStringAsync());
        await Eventually.TrueAsync(
            async () => (await harness.SendAsync("/v1/chat/completions", key)).StatusCode == HttpStatusCode.OK,
            "the stream's slot is given back");
    }

    // That an authenticated key's signed claim replaces a client's copy is tested with the real key check
    // (ScopeEnforcementTests): this harness stands in for that check and sends no claim.

    [Fact]
    public async Task KeyClaimHeader_WithoutAnAuthenticatedKey_AClientsCopyIsRemoved()
    {
        await using var harness = await Harness.StartAsync(await redis.ConnectAsync());

        using var response = await harness.SendAsync("/v1/chat/completions", key: null, spoofedKeyName: "someone-else");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(harness.Seen.Single());
    }

    [Fact]
    public async Task AKeyWithoutLimits_NeverAsksTheLimiter()
    {
        // The limiter points at a dead Redis: any call would switch it to its local fallback.
        var key = KeyLimiterTests.Key();
        await using var unreachable = await LimitsRedisFixture.UnreachableAsync();
        await using var harness = await Harness.StartAsync(unreachable, key);

        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await harness.SendAsync("/v1/chat/completions", key)).StatusCode);
        }

        Assert.False(harness.Limiter.UsingLocalFallback);
    }

    private sealed class Harness : IAsyncDisposable
    {
        private Harness(WebApplication proxy, WebApplication gateway, ManualTimeProvider time)
        {
            Proxy = proxy;
            Gateway = gateway;
            Time = time;
            Client = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = new Uri(LoopbackServer.BoundUrl(proxy)) };
        }

        public WebApplication Proxy { get; }

        public WebApplication Gateway { get; }

        public ManualTimeProvider Time { get; }

        public HttpClient Client { get; }

        public KeyLimiter Limiter => Proxy.Services.GetRequiredService<KeyLimiter>();

        /// <summary>The key-claim header values the gateway received, one list per request.</summary>
        public ConcurrentQueue<string[]> Seen { get; } = new();

        public TaskCompletionSource SseGate { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public static async Task<Harness> StartAsync(RedisConnector connector, params ApiKeyConfig[] keys)
        {
            Harness? harness = null;
            var (gateway, gatewayUrl) = await LoopbackServer.StartAsync(app => app.Map("/{**path}", (RequestDelegate)(async context =>
            {
                harness!.Seen.Enqueue([.. context.Request.Headers[LlamaSwap.Core.Security.KeyClaimSigner.HeaderName].Select(v => v!)]);
                if (context.Request.Path == "/sse")
                {
                    context.Response.ContentType = "text/event-stream";
                    await context.Response.WriteAsync("data: 1\n\n");
                    await context.Response.Body.FlushAsync();
                    await harness.SseGate.Task.WaitAsync(TimeSpan.FromSeconds(30));
                    await context.Response.WriteAsync("data: 2\n\n");
                    return;
                }

                await context.Response.WriteAsync("ok");
            })));

            var time = KeyLimiterTests.Clock();
            var byName = keys.ToDictionary(k => k.Name);
            var proxy = LlamaSwap.AuthProxy.Program.BuildApp(
                ["--urls", "http://127.0.0.1:0", $"--services:gateway:http:0={gatewayUrl}", "--Logging:LogLevel:Default=Warning"],
                services =>
                {
                    services.AddSingleton(new ApiKeySet(Array.Empty<ApiKeyConfig>()));
                    services.AddSingleton(new KeyLimiter(connector, time, NullLogger<KeyLimiter>.Instance));
                    services.AddSingleton<IStartupFilter>(new TestKeyCheck(byName));
                });
            await proxy.StartAsync();
            harness = new Harness(proxy, gateway, time);
            return harness;
        }

        public Task<HttpResponseMessage> SendAsync(
            string path, ApiKeyConfig? key, HttpCompletionOption completion = HttpCompletionOption.ResponseContentRead, string? spoofedKeyName = null)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent("{}") };
            if (key is not null)
            {
                request.Headers.Add(TestKeyHeader, key.Name);
            }

            if (spoofedKeyName is not null)
            {
                request.Headers.Add(LlamaSwap.Core.Security.KeyClaimSigner.HeaderName, spoofedKeyName);
            }

            return Client.SendAsync(request, completion);
        }

        public async ValueTask DisposeAsync()
        {
            SseGate.TrySetResult();
            Client.Dispose();
            await Proxy.DisposeAsync();
            await Gateway.DisposeAsync();
        }
    }

    /// <summary>Stands in for the key check: sets <see cref="AuthenticatedKey"/> from <c>X-Test-Key</c>.</summary>
    private sealed class TestKeyCheck(IReadOnlyDictionary<string, ApiKeyConfig> keys) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(async (context, inner) =>
            {
                if (keys.TryGetValue(context.Request.Headers[TestKeyHeader].ToString(), out var key))
                {
                    context.Features.Set(new AuthenticatedKey(key));
                }

                await inner(context);
            });
            next(app);
        };
    }
}
