using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using LlamaSwap.AuthProxy.Keys;
using LlamaSwap.Core.Configuration;
using LlamaSwap.Core.Security;
using LlamaSwap.Tests.Configuration;
using LlamaSwap.Tests.Gateway.Peers;
using LlamaSwap.Tests.Gateway.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace LlamaSwap.Tests.Gateway.Keys;

/// <summary>
/// The bypass table of issue 11: a key limited to <c>alpha*</c>, through the real auth proxy and the
/// real gateway, never reaches or lists a model outside its globs, whatever names lie in between
/// (aliases, selectors of every strategy, profile pins, a pin shadowing a real name, peers, /upstream).
/// </summary>
public sealed class ModelPolicyTests
{
    private const string Yaml = """
        models:
          alpha: {cmd: "server --port ${PORT}", proxy: "UPSTREAM", aliases: [alpha-one]}
          alpha2: {cmd: "server --port ${PORT}", proxy: "UPSTREAM"}
          beta: {cmd: "server --port ${PORT}", proxy: "UPSTREAM", aliases: [alpha-beta-alias]}
        selectors:
          alpha-sel: {strategy: pin, targets: [beta]}
          alpha-warm: {strategy: warm, targets: [beta, alpha]}
          alpha-spill: {strategy: spillover, targets: [beta, alpha], settings: {spillover: 1}}
          alpha-ok: {strategy: warm, targets: [alpha, alpha2]}
        groups:
          spill: {swap: false, members: [alpha, beta]}
        profiles:
          prof1: {pins: {alpha-pin: beta}}
          prof2: {pins: {alpha: beta}}
        peers:
          far: {proxy: "PEER", models: [remote, alpha-remote]}
        apiKeys:
          - sk-full
          - {key: sk-a, name: a, models: ["alpha*"], scopes: [inference, read]}
          - {key: sk-far, name: far, models: ["far/*"], scopes: [inference, read]}
        """;

    public static TheoryData<string?, string, string, HttpStatusCode> Table => new()
    {
        // profile, model in the body (or an /upstream path), key, expected
        { null, "alpha", "sk-a", HttpStatusCode.OK },
        { null, "alpha-one", "sk-a", HttpStatusCode.OK },
        { null, "alpha-ok", "sk-a", HttpStatusCode.OK },
        { null, "alpha-beta-alias", "sk-a", HttpStatusCode.Forbidden },
        { null, "beta", "sk-a", HttpStatusCode.Forbidden },
        { null, "alpha-sel", "sk-a", HttpStatusCode.Forbidden },
        { null, "alpha-warm", "sk-a", HttpStatusCode.Forbidden },
        { null, "alpha-spill", "sk-a", HttpStatusCode.Forbidden },
        { "prof1", "alpha-pin", "sk-a", HttpStatusCode.Forbidden },
        { "prof2", "alpha", "sk-a", HttpStatusCode.Forbidden },
        { "prof2", "alpha-one", "sk-a", HttpStatusCode.OK },
        { null, "alpha-remote", "sk-a", HttpStatusCode.Forbidden },
        { null, "far/alpha-remote", "sk-a", HttpStatusCode.Forbidden },
        { null, "far/remote", "sk-far", HttpStatusCode.OK },
        { null, "alpha", "sk-far", HttpStatusCode.Forbidden },
        { null, "/upstream/alpha/health", "sk-a", HttpStatusCode.OK },
        { null, "/upstream/alpha-beta-alias/health", "sk-a", HttpStatusCode.Forbidden },
        { null, "/upstream/beta/health", "sk-a", HttpStatusCode.Forbidden },
        { null, "/upstream/beta", "sk-a", HttpStatusCode.Forbidden },
        { "prof2", "/upstream/alpha/health", "sk-a", HttpStatusCode.Forbidden },
        { null, "/upstream/far/alpha-remote/health", "sk-a", HttpStatusCode.Forbidden },
        { null, "/upstream/far/remote/health", "sk-far", HttpStatusCode.OK },
        { null, "alpha-sel", "sk-full", HttpStatusCode.OK },
        { "prof2", "alpha", "sk-full", HttpStatusCode.OK },
    };

    [Theory]
    [MemberData(nameof(Table))]
    public async Task RestrictedKey_IsJudgedOnTheFinalTarget(string? profile, string model, string key, HttpStatusCode expected)
    {
        await using var stack = await Stack.StartAsync();
        await stack.ActivateAsync(profile);

        using var response = await stack.SendAsync(model, key);

        Assert.Equal(expected, response.StatusCode);
        var reached = stack.Reached();
        if (expected == HttpStatusCode.Forbidden)
        {
            using var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            Assert.Equal("forbidden", error.RootElement.GetProperty("error").GetProperty("code").GetString());
            Assert.Empty(reached);
        }
        else
        {
            Assert.Single(reached);
        }
    }

    [Theory]
    [InlineData(null, "sk-a", new[] { "alpha", "alpha-ok", "alpha2" })]
    [InlineData("prof1", "sk-a", new[] { "alpha", "alpha-ok", "alpha2" })]
    [InlineData("prof2", "sk-a", new[] { "alpha-ok", "alpha2" })]
    [InlineData(null, "sk-far", new[] { "far/alpha-remote", "far/remote" })]
    public async Task ModelList_ShowsOnlyNamesWhoseEveryTargetTheKeyMayUse(string? profile, string key, string[] expected)
    {
        await using var stack = await Stack.StartAsync();
        await stack.ActivateAsync(profile);

        foreach (var path in new[] { "/v1/models", "/models" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
            using var response = await stack.Client.SendAsync(request);
            using var list = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

            Assert.Equal(expected, list.RootElement.GetProperty("data").EnumerateArray().Select(e => e.GetProperty("id").GetString()));
        }

        using var full = new HttpRequestMessage(HttpMethod.Get, "/v1/models") { Headers = { Authorization = new("Bearer", "sk-full") } };
        using var fullList = JsonDocument.Parse(await (await stack.Client.SendAsync(full)).Content.ReadAsStringAsync());
        Assert.Contains("beta", fullList.RootElement.GetProperty("data").EnumerateArray().Select(e => e.GetProperty("id").GetString()));
    }

    [Fact]
    public async Task ClaimsCannotBeForgedOrReplayed_AtTheGatewayPort()
    {
        await using var stack = await Stack.StartAsync();
        var forged = new KeyClaimSigner("not-the-secret", TimeProvider.System).Sign(new KeyClaim("a", ["*"]), "POST");
        var genuine = GatewayHarness.Claim("a", "POST", ["alpha*"]);

        using var withForged = await stack.Gateway.Client.SendAsync(Chat("beta", KeyClaimSigner.HeaderName, forged));
        using var first = await stack.Gateway.Client.SendAsync(Chat("alpha", KeyClaimSigner.HeaderName, genuine));
        using var replayed = await stack.Gateway.Client.SendAsync(Chat("alpha", KeyClaimSigner.HeaderName, genuine));
        using var restricted = await stack.Gateway.Client.SendAsync(Chat("beta", KeyClaimSigner.HeaderName, GatewayHarness.Claim("a", "POST", ["alpha*"])));

        Assert.Equal(HttpStatusCode.Unauthorized, withForged.StatusCode);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, replayed.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, restricted.StatusCode);
        Assert.Equal(["alpha"], stack.Gateway.Supervisor.Acquires.Select(a => a.Model));
    }

    private static HttpRequestMessage Chat(string model, string? header = null, string? value = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = new StringContent($$"""{"model":"{{model}}","messages":[]}""", Encoding.UTF8, "application/json"),
        };
        if (header is not null)
        {
            request.Headers.Add(header, value);
        }

        return request;
    }

    /// <summary>The real auth proxy in front of the real gateway (fake supervisor, upstream and peer).</summary>
    private sealed class Stack : IAsyncDisposable
    {
        private readonly FrontDoorStack _door;

        private Stack(FrontDoorStack door) => _door = door;

        public GatewayHarness Gateway => _door.Gateway;

        public FakePeer Peer => _door.Peer;

        public HttpClient Client => _door.Client;

        public static async Task<Stack> StartAsync()
            => new(await FrontDoorStack.StartAsync((upstream, peer) =>
                Yaml.Replace("UPSTREAM", upstream, StringComparison.Ordinal).Replace("PEER", peer, StringComparison.Ordinal)));

        public async Task ActivateAsync(string? profile)
        {
            if (profile is not null)
            {
                using var response = await Gateway.Client.PutAsync("/api/profiles/active", JsonContent.Create(new { name = profile }));
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }
        }

        public Task<HttpResponseMessage> SendAsync(string modelOrPath, string key)
        {
            var request = modelOrPath.StartsWith('/') ? new HttpRequestMessage(HttpMethod.Get, modelOrPath) : Chat(modelOrPath);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
            return Client.SendAsync(request);
        }

        /// <summary>What got past the gateway: leases asked of the supervisor and requests sent to the peer.</summary>
        public List<string> Reached()
            => [.. Gateway.Supervisor.Acquires.Select(a => a.Model), .. Peer.Requests.Select(r => "peer:" + r.Path)];

        public ValueTask DisposeAsync() => _door.DisposeAsync();
    }
}
