using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using LlamaSwap.Tests.Gateway.Peers;
using LlamaSwap.Tests.Gateway.Support;

namespace LlamaSwap.Tests.Gateway.ClientAuth;

/// <summary>
/// The real auth proxy in front of the real gateway (fake supervisor, upstream and peer), configured
/// by <see cref="Yaml"/> with <c>GLOBAL</c> the top-level <c>forwardClientAuth</c>: <c>plain</c> follows
/// it, <c>wants</c> and <c>refuses</c> override it, peer <c>keyed</c> has an <c>apiKey</c>, <c>open</c> none.
/// </summary>
internal sealed class ClientAuthStack : IAsyncDisposable
{
    public const string FrontKey = "sk-front-door";
    public const string PeerKey = "sk-peer-own";

    private const string Yaml = """
        forwardClientAuth: GLOBAL
        models:
          plain: {cmd: "server --port ${PORT}", proxy: "UPSTREAM"}
          wants: {cmd: "server --port ${PORT}", proxy: "UPSTREAM", forwardClientAuth: true}
          refuses: {cmd: "server --port ${PORT}", proxy: "UPSTREAM", forwardClientAuth: false}
        peers:
          keyed: {proxy: "PEER", apiKey: "PEERKEY", models: [k]}
          open: {proxy: "PEER", models: [o]}
        apiKeys: APIKEYS
        """;

    private readonly FrontDoorStack _door;

    private ClientAuthStack(FrontDoorStack door) => _door = door;

    public GatewayHarness Gateway => _door.Gateway;

    public FakePeer Peer => _door.Peer;

    /// <summary>A client of the auth proxy (the front door).</summary>
    public HttpClient Client => _door.Client;

    /// <param name="forwardGlobally">The top-level <c>forwardClientAuth</c>.</param>
    /// <param name="authOn">Whether the front door requires <see cref="FrontKey"/> (else auth is off).</param>
    /// <param name="proxySigns">Whether the auth proxy has the key-claim secret (it signs claims).</param>
    public static async Task<ClientAuthStack> StartAsync(bool forwardGlobally, bool authOn = true, bool proxySigns = true)
        => new(await FrontDoorStack.StartAsync(
            (upstream, peer) => Yaml
                .Replace("GLOBAL", forwardGlobally ? "true" : "false", StringComparison.Ordinal)
                .Replace("APIKEYS", authOn ? $"[\"{FrontKey}\"]" : "[]", StringComparison.Ordinal)
                .Replace("PEERKEY", PeerKey, StringComparison.Ordinal)
                .Replace("UPSTREAM", upstream, StringComparison.Ordinal)
                .Replace("PEER", peer, StringComparison.Ordinal),
            proxySigns));

    /// <summary>A chat request for <paramref name="model"/> (or a GET of an <c>/upstream</c> path) with <paramref name="headers"/>.</summary>
    public static HttpRequestMessage Request(string modelOrPath, Action<HttpRequestHeaders> headers)
    {
        var request = modelOrPath.StartsWith('/')
            ? new HttpRequestMessage(HttpMethod.Get, modelOrPath)
            : new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
            {
                Content = new StringContent($$"""{"model":"{{modelOrPath}}","messages":[]}""", Encoding.UTF8, "application/json"),
            };
        headers(request.Headers);
        return request;
    }

    /// <summary>What the local upstream received in <c>Authorization</c> and <c>x-api-key</c> ("" when absent).</summary>
    public static async Task<(string Authorization, string ApiKey)> SeenByUpstreamAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {body}");
        using var echo = JsonDocument.Parse(body);
        return (echo.RootElement.GetProperty("authorization").GetString()!, echo.RootElement.GetProperty("apiKey").GetString()!);
    }

    public ValueTask DisposeAsync() => _door.DisposeAsync();
}
