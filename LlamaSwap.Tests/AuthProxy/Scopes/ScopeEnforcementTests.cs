using System.Net;
using System.Text;
using System.Text.Json;
using LlamaSwap.AuthProxy.Keys;
using LlamaSwap.AuthProxy.Scopes;
using LlamaSwap.Core.Configuration;
using LlamaSwap.Core.Security;

namespace LlamaSwap.Tests.AuthProxy.Scopes;

/// <summary>Scopes enforced by the proxy on a real socket, in front of a recording fake gateway (model globs: ModelPolicyTests, judged by the gateway).</summary>
public sealed class ScopeEnforcementTests
{
    private const string ChatBody = """{"model":"qwen-small","messages":[]}""";

    public static TheoryData<string, string, string> RoutesByScope => new()
    {
        { "POST", "/v1/chat/completions", "inference" },
        { "POST", "/v1/embeddings", "inference" },
        { "POST", "/v/completions", "inference" },
        { "GET", "/props?model=qwen-small", "inference" },
        { "GET", "/upstream/qwen-small/health", "inference" },
        { "POST", "/upstream/qwen-small/completion", "inference" },
        { "GET", "/v1/models", "inference or read" },
        { "GET", "/models", "inference or read" },
        { "GET", "/running", "read" },
        { "GET", "/api/events", "read" },
        { "GET", "/logs", "read" },
        { "GET", "/logs/stream/qwen-small", "read" },
        { "GET", "/metrics", "read" },
        { "GET", "/api/metrics/activity", "read" },
        { "GET", "/ui/", "read" },
        { "GET", "/api/profiles", "read" },
        { "GET", "/unload", "admin" },
        { "POST", "/api/models/unload", "admin" },
        { "POST", "/api/models/unload/qwen-small", "admin" },
        { "PUT", "/api/profiles/active", "admin" },
        { "GET", "/api/captures/1", "admin" },
        { "POST", "/api/inflight/1/cancel", "admin" },
        { "GET", "/api/usage", "admin" },
        { "GET", "/api/not-a-route", "admin" },
    };

    [Theory]
    [MemberData(nameof(RoutesByScope))]
    public async Task EachSingleScopeKey_ReachesExactlyItsRoutes(string method, string path, string scope)
    {
        await using var harness = await ScopedProxyHarness.StartAsync();
        foreach (var (key, keyScope) in new[] { ("sk-inference", "inference"), ("sk-read", "read"), ("sk-admin", "admin") })
        {
            var body = method is "POST" or "PUT" ? ChatBody : null;
            using var response = await harness.Client.SendAsync(ScopedProxyHarness.Request(new HttpMethod(method), path, key, body));
            var allowed = scope.Split(" or ").Contains(keyScope);

            Assert.True(
                allowed ? response.StatusCode == HttpStatusCode.OK : response.StatusCode == HttpStatusCode.Forbidden,
                $"{key} {method} {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            if (!allowed)
            {
                using var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
                Assert.Equal("forbidden", error.RootElement.GetProperty("error").GetProperty("code").GetString());
                Assert.Contains($"lacks the {scope} scope", error.RootElement.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
            }
        }

        // Exactly the keys with one of the route's scopes got through; the refused ones never reached the gateway.
        Assert.Equal(scope.Split(" or ").Length, harness.Seen.Count);
    }

    [Fact]
    public async Task InferenceKey_ListsItsModels_ButReachesNoReadOrAdminRoute()
    {
        // The README's example key: what most clients call first is the model list.
        await using var harness = await ScopedProxyHarness.StartAsync();

        using var list = await harness.Client.SendAsync(ScopedProxyHarness.Request(HttpMethod.Get, "/v1/models", "sk-inference"));
        using var shortList = await harness.Client.SendAsync(ScopedProxyHarness.Request(HttpMethod.Get, "/models", "sk-inference"));
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        Assert.Equal(HttpStatusCode.OK, shortList.StatusCode);
        using (var models = JsonDocument.Parse(await list.Content.ReadAsStringAsync()))
        {
            Assert.Equal(5, models.RootElement.GetProperty("data").GetArrayLength());
        }

        // The gateway gets the key's claim, so it can show the key only its models.
        Assert.All(harness.Seen, s => Assert.Equal("inference-only", s.KeyName));
        foreach (var (method, path) in new[] { ("GET", "/running"), ("GET", "/unload"), ("POST", "/api/models/unload"), ("GET", "/api/usage"), ("POST", "/v1/models") })
        {
            using var refused = await harness.Client.SendAsync(ScopedProxyHarness.Request(new HttpMethod(method), path, "sk-inference", method == "POST" ? "{}" : null));
            Assert.True(refused.StatusCode == HttpStatusCode.Forbidden, $"{method} {path}: {(int)refused.StatusCode}");
        }

        Assert.Equal(2, harness.Seen.Count);
    }

    [Fact]
    public async Task AdminOnlyKey_RefusedTheModelList_NamingBothScopesThatWould()
    {
        await using var harness = await ScopedProxyHarness.StartAsync();

        using var response = await harness.Client.SendAsync(ScopedProxyHarness.Request(HttpMethod.Get, "/v1/models", "sk-admin"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        using var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(
            "this key lacks the inference or read scope for GET /v1/models",
            error.RootElement.GetProperty("error").GetProperty("message").GetString());
    }

    [Fact]
    public async Task HashedKey_Authenticates()
    {
        await using var harness = await ScopedProxyHarness.StartAsync();

        using var read = await harness.Client.SendAsync(ScopedProxyHarness.Request(HttpMethod.Get, "/running", "sk-hashed"));
        using var chat = await harness.Client.SendAsync(ScopedProxyHarness.Request(HttpMethod.Post, "/v1/chat/completions", "sk-hashed", ChatBody));
        using var hexAsKey = await harness.Client.SendAsync(ScopedProxyHarness.Request(HttpMethod.Get, "/running", ScopedProxyHarness.HashedSecretHex));

        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, chat.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, hexAsKey.StatusCode);
        Assert.Equal("hashed", Assert.Single(harness.Seen).KeyName);
    }

    [Fact]
    public async Task ExpiredKey_Is401LikeAnUnknownKey()
    {
        await using var harness = await ScopedProxyHarness.StartAsync();

        using var before = await harness.Client.SendAsync(ScopedProxyHarness.Request(HttpMethod.Get, "/running", "sk-expiring"));
        harness.Clock.Advance(TimeSpan.FromHours(1));
        using var after = await harness.Client.SendAsync(ScopedProxyHarness.Request(HttpMethod.Get, "/running", "sk-expiring"));
        using var unknown = await harness.Client.SendAsync(ScopedProxyHarness.Request(HttpMethod.Get, "/running", "sk-unknown"));

        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        Assert.Equal("Basic realm=\"llama-swap\"", after.Headers.WwwAuthenticate.ToString());
        Assert.Equal(await unknown.Content.ReadAsStringAsync(), await after.Content.ReadAsStringAsync());
        Assert.Single(harness.Seen);
    }

    [Theory]
    [InlineData("//api/models/unload")]
    [InlineData("/API/models/unload")]
    [InlineData("/Api/Models/Unload/qwen-small")]
    [InlineData("/api/models/%2e%2e/models/unload")]
    [InlineData("/v1/%2e%2e/api/models/unload")]
    [InlineData("/api/models%2Funload")]
    [InlineData("/api/models/unload%2F..%2F..%2Frunning")]
    [InlineData("/upstream/../api/models/unload")]
    public async Task PathTricks_ForAReadOnlyKey_NeverReachTheGateway(string path)
    {
        await using var harness = await ScopedProxyHarness.StartAsync();

        using var response = await harness.Client.SendAsync(harness.RawRequest(HttpMethod.Post, path, "sk-read"));

        Assert.True(response.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.BadRequest, $"{path}: {(int)response.StatusCode}");
        Assert.Empty(harness.Seen);
    }

    [Fact]
    public async Task ClientSentKeyClaim_IsReplaced()
    {
        await using var harness = await ScopedProxyHarness.StartAsync();
        using var request = ScopedProxyHarness.Request(HttpMethod.Get, "/running", "sk-read");
        request.Headers.Add(KeyClaimSigner.HeaderName, "v1.forged.claim");

        using var response = await harness.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("read-only", Assert.Single(harness.Seen).KeyName);
    }

    [Fact]
    public async Task EncodedSlash_RefusedForEveryKey_FullAccessIncluded()
    {
        // The request hygiene check runs before any key is looked at: an encoded slash is never
        // guessed at, whoever sends it.
        await using var harness = await ScopedProxyHarness.StartAsync();

        using var full = await harness.Client.SendAsync(harness.RawRequest(HttpMethod.Get, "/api/models%2Funload", "sk-full"));
        using var limited = await harness.Client.SendAsync(harness.RawRequest(HttpMethod.Get, "/api/models%2Funload", "sk-limited"));

        Assert.Equal(HttpStatusCode.BadRequest, full.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, limited.StatusCode);
        Assert.Empty(harness.Seen);
    }

    [Fact]
    public async Task Reload_RemovedKeyRefusedOnTheNextRequest_ChangedScopesApply()
    {
        await using var harness = await ScopedProxyHarness.StartAsync();
        var holder = harness.Proxy.Services.GetService(typeof(ApiKeyHolder)) as ApiKeyHolder;
        using var before = await harness.Client.SendAsync(ScopedProxyHarness.Request(HttpMethod.Get, "/running", "sk-read"));

        var config = Configuration.ConfigAssert.Loads(ScopedProxyHarness.Yaml
            .Replace("  - {key: sk-read, name: read-only, scopes: [read]}\n", "", StringComparison.Ordinal)
            .Replace("scopes: [admin]", "scopes: [admin, read]", StringComparison.Ordinal));
        holder!.Replace(new ApiKeySet(config.KeyDefinitions));

        using var removed = await harness.Client.SendAsync(ScopedProxyHarness.Request(HttpMethod.Get, "/running", "sk-read"));
        using var widened = await harness.Client.SendAsync(ScopedProxyHarness.Request(HttpMethod.Get, "/running", "sk-admin"));

        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, removed.StatusCode);
        Assert.Equal(HttpStatusCode.OK, widened.StatusCode);
        Assert.Equal(["read-only", "admin-only"], harness.Seen.Select(s => s.KeyName));
    }
}
