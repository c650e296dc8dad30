using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using LlamaSwap.Core.Configuration;
using LlamaSwap.Tests.Gateway.Support;
using LlamaSwap.Tests.Infrastructure;

namespace LlamaSwap.Tests.Gateway.Peers;

/// <summary>Peer models on the real proxy path (reference 2.1, 3.13): fake supervisor and local upstream, fake peer.</summary>
public sealed class PeerForwardingTests : IAsyncLifetime
{
    private FakePeer _peer = null!;

    public async Task InitializeAsync() => _peer = await FakePeer.StartAsync();

    public async Task DisposeAsync() => await _peer.DisposeAsync();

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private PeerConfig Peer(string id, params string[] models) => new() { Id = id, Proxy = new Uri(_peer.Url), Models = models };

    private Task<GatewayHarness> StartAsync(params PeerConfig[] peers)
        => GatewayHarness.StartAsync(url => GatewayHarness.DefaultConfig(url) with { Peers = new PeerSet(peers) });

    private async Task<PeerRequest> SingleRequestAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("fake", response.Headers.GetValues("X-Peer").Single());
        return Assert.Single(_peer.Requests);
    }

    [Fact]
    public async Task Fqn_PeerSeesItsOwnModelId_WithoutTheSupervisor()
    {
        await using var harness = await StartAsync(Peer("remote", "org/m"));

        using var response = await harness.Client.PostAsync("/v1/chat/completions?x=1", Json("""{"model":"remote/org/m", "messages":[]}"""));

        var seen = await SingleRequestAsync(response);
        Assert.Equal("""{"model":"org/m", "messages":[]}""", seen.Body);
        Assert.Equal("/v1/chat/completions", seen.Path);
        Assert.Equal("?x=1", seen.Query);
        Assert.Empty(harness.Supervisor.Acquires);
    }

    [Fact]
    public async Task BareName_RoutesOnlyWhenOnePeerListsIt()
    {
        await using var harness = await StartAsync(Peer("a", "shared", "solo"), Peer("b", "shared"));

        using var solo = await harness.Client.PostAsync("/v1/completions", Json("""{"model":"solo"}"""));
        Assert.Equal("""{"model":"solo"}""", (await SingleRequestAsync(solo)).Body);

        using var shared = await harness.Client.PostAsync("/v1/completions", Json("""{"model":"shared"}"""));
        Assert.Equal(HttpStatusCode.NotFound, shared.StatusCode);
        Assert.Contains("no router for requested model", await shared.Content.ReadAsStringAsync());
        Assert.Single(_peer.Requests);
    }

    [Fact]
    public async Task LocalModel_WinsOverABarePeerName()
    {
        await using var harness = await StartAsync(Peer("remote", "llama"));

        using var response = await harness.Client.PostAsync("/v1/chat/completions", Json("""{"model":"llama"}"""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("fake", response.Headers.GetValues("X-Upstream").Single());
        Assert.Equal("llama", Assert.Single(harness.Supervisor.Acquires).Model);
        Assert.Empty(_peer.Requests);
    }

    [Fact]
    public async Task ApiKey_ReplacesTheClientsKeyInBothHeaders_AndHostIsThePeers()
    {
        await using var harness = await StartAsync(Peer("remote", "m") with { ApiKey = "sk-peer" });
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = Json("""{"model":"remote/m"}""") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "sk-client");
        request.Headers.Add("x-api-key", "sk-client");

        using var response = await harness.Client.SendAsync(request);

        var seen = await SingleRequestAsync(response);
        Assert.Equal(["Bearer sk-peer"], seen.Authorization);
        Assert.Equal(["sk-peer"], seen.ApiKey);
        Assert.Equal(new Uri(_peer.Url).Authority, seen.Host);
        Assert.StartsWith("localhost:", seen.Host);
    }

    [Fact]
    public async Task NoApiKey_WithForwardClientAuth_ClientsAuthorizationPassesThrough()
    {
        // Without forwardClientAuth the peer gets no credential at all (ClientAuthForwardingTests).
        await using var harness = await GatewayHarness.StartAsync(url => GatewayHarness.DefaultConfig(url) with
        {
            Peers = new PeerSet([Peer("remote", "m")]),
            ForwardClientAuth = true,
        });
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = Json("""{"model":"remote/m"}""") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "sk-client");

        using var response = await harness.Client.SendAsync(request);

        var seen = await SingleRequestAsync(response);
        Assert.Equal(["Bearer sk-client"], seen.Authorization);
        Assert.Empty(seen.ApiKey);
    }

    [Fact]
    public async Task Filters_StripAndSetApplied_ModelStillRewritten()
    {
        var filters = new ModelFilters
        {
            StripParams = ["top_p"],
            SetParams = JsonNode.Parse("""{"provider":{"zdr":true}}""")!.AsObject(),
        };
        await using var harness = await StartAsync(Peer("openrouter", "z-ai/glm") with { Filters = filters });

        using var response = await harness.Client.PostAsync(
            "/v1/chat/completions", Json("""{"model":"openrouter/z-ai/glm","top_p":0.5,"temperature":1}"""));

        var seen = await SingleRequestAsync(response);
        Assert.Equal("""{"model":"z-ai/glm","temperature":1,"provider":{"zdr":true}}""", seen.Body);
    }

    [Fact]
    public async Task GetQuery_FqnRewrittenToThePeersId()
    {
        await using var harness = await StartAsync(Peer("remote", "voice"));

        using var response = await harness.Client.GetAsync("/v1/audio/voices?model=remote/voice&lang=en");

        Assert.Equal("?model=voice&lang=en", (await SingleRequestAsync(response)).Query);
    }

    [Fact]
    public async Task Multipart_FqnRewrittenInTheForm()
    {
        await using var harness = await StartAsync(Peer("remote", "whisper"));
        using var form = new MultipartFormDataContent("boundary-1")
        {
            { new ByteArrayContent("RIFFdata"u8.ToArray()), "file", "a.wav" },
            { new StringContent("remote/whisper"), "model" },
        };

        using var response = await harness.Client.PostAsync("/v1/audio/transcriptions", form);

        var seen = await SingleRequestAsync(response);
        Assert.Contains("\r\n\r\nwhisper\r\n", seen.Body);
        Assert.DoesNotContain("remote/whisper", seen.Body);
        Assert.StartsWith("multipart/form-data", seen.ContentType);
    }

    [Fact]
    public async Task UrlEncodedForm_FqnRewritten_OtherPairsKeptAsSent()
    {
        await using var harness = await StartAsync(Peer("remote", "org/m"));
        using var body = new StringContent("prompt=a+b%21&model=remote%2Forg%2Fm&n=2", Encoding.UTF8);
        body.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded");

        using var response = await harness.Client.PostAsync("/v1/completions", body);

        var seen = await SingleRequestAsync(response);
        Assert.Equal("prompt=a+b%21&model=org%2Fm&n=2", seen.Body);
    }

    [Fact]
    public async Task UrlEncodedForm_BareName_ForwardedByteForByte()
    {
        await using var harness = await StartAsync(Peer("remote", "solo"));
        using var body = new StringContent("model=solo&x=%7E", Encoding.UTF8);
        body.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded");

        using var response = await harness.Client.PostAsync("/v1/completions", body);

        Assert.Equal("model=solo&x=%7E", (await SingleRequestAsync(response)).Body);
    }

    [Fact]
    public async Task UnreachablePeer_Is502WithPeerProxyError()
    {
        var closed = new PeerConfig { Id = "gone", Proxy = new Uri($"http://127.0.0.1:{FreePorts.Next()}"), Models = ["m"] };
        await using var harness = await StartAsync(closed);

        using var response = await harness.Client.PostAsync("/v1/chat/completions", Json("""{"model":"gone/m"}"""));

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        using var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.StartsWith("peer proxy error: ", error.RootElement.GetProperty("error").GetProperty("message").GetString());
    }

    [Fact]
    public async Task ResponseHeaderTimeout_Is502NamingTheTimeout()
    {
        await using var harness = await StartAsync(Peer("slow", "m") with { Timeouts = new UpstreamTimeouts { ResponseHeaderSeconds = 1 } });
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = Json("""{"model":"slow/m"}""") };
        request.Headers.Add("X-Test-Mode", "slow-headers");

        using var response = await harness.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Contains("peer proxy error: timeout awaiting response headers after 1s", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Sse_StreamsThroughThePeerBeforeItFinishes()
    {
        await using var harness = await StartAsync(Peer("remote", "m"));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = Json("""{"model":"remote/m","stream":true}""") };
        request.Headers.Add("X-Test-Mode", "sse");

        using var response = await harness.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal("no", response.Headers.GetValues("X-Accel-Buffering").Single());
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());

        // The peer is parked on its gate, so this chunk was not buffered to the end.
        Assert.Equal("data: {\"chunk\":1}", await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(10)));
        _peer.StreamGate.SetResult();
        Assert.Contains("data: [DONE]", await reader.ReadToEndAsync());
    }

    [Fact]
    public async Task UpstreamPath_PeerFqn_ForwardsTheRemainderWithTheKey()
    {
        await using var harness = await StartAsync(Peer("remote", "org/m") with { ApiKey = "sk-peer" });

        using var response = await harness.Client.GetAsync("/upstream/remote/org/m/v1/models?a=b");

        var seen = await SingleRequestAsync(response);
        Assert.Equal("/v1/models", seen.Path);
        Assert.Equal("?a=b", seen.Query);
        Assert.Equal(["Bearer sk-peer"], seen.Authorization);
        Assert.Empty(harness.Supervisor.Acquires);
    }
}
