using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using LlamaSwap.Core.Configuration;
using LlamaSwap.Tests.Gateway.Peers;
using LlamaSwap.Tests.Gateway.Profiles;
using LlamaSwap.Tests.Gateway.Support;

namespace LlamaSwap.Tests.Gateway.Routing;

/// <summary>
/// A JSON object sent with a form type, as text or with no type (<c>curl -d '{...}'</c>) is read as
/// JSON and reaches the upstream as <c>application/json</c> (vLLM refuses form types), with every
/// body rewrite that JSON gets.
/// </summary>
public sealed class UndeclaredJsonForwardingTests
{
    private static ByteArrayContent Body(string body, string? contentType)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        content.Headers.ContentType = contentType is null ? null : MediaTypeHeaderValue.Parse(contentType);
        return content;
    }

    private static async Task<JsonElement> ReadEcho(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {text}");
        return FakeUpstream.ParseEcho(text);
    }

    [Theory]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("text/plain; charset=utf-8")]
    [InlineData(null)]
    public async Task CurlStyleJson_IsServed_AndTheUpstreamGetsItAsJson(string? contentType)
    {
        await using var harness = await GatewayHarness.StartAsync();
        const string body = """{"model":"gpt-4o-mini","messages":[{"role":"user","content":"a=b&c=d"}]}""";

        using var response = await harness.Client.PostAsync("/v1/chat/completions", Body(body, contentType));

        var echo = await ReadEcho(response);
        Assert.Equal("llama", Assert.Single(harness.Supervisor.Acquires).Model);
        Assert.Equal("application/json", echo.GetProperty("contentType").GetString());
        Assert.Equal(body, echo.GetProperty("body").GetString());
    }

    [Fact]
    public async Task DeclaredJson_KeepsItsOwnContentType()
    {
        await using var harness = await GatewayHarness.StartAsync();

        using var response = await harness.Client.PostAsync("/v1/chat/completions", Body("""{"model":"llama"}""", "application/json; charset=utf-8"));

        Assert.Equal("application/json; charset=utf-8", (await ReadEcho(response)).GetProperty("contentType").GetString());
    }

    [Fact]
    public async Task UndeclaredJson_GetsTheModelRewrites_OfASelectorAndUseModelName()
    {
        // "sel" pins to qwen, whose useModelName is Qwen/Qwen3-8B: both rewrites judge the body as JSON.
        await using var harness = await GatewayHarness.StartAsync(ProfileTests.Config);

        using var response = await harness.Client.PostAsync("/v1/chat/completions", Body("""{"model":"sel", "stream":false}""", "application/x-www-form-urlencoded"));

        var echo = await ReadEcho(response);
        Assert.Equal("qwen", Assert.Single(harness.Supervisor.Acquires).Model);
        Assert.Equal("""{"model":"Qwen/Qwen3-8B", "stream":false}""", echo.GetProperty("body").GetString());
        Assert.Equal("application/json", echo.GetProperty("contentType").GetString());
    }

    [Fact]
    public async Task UndeclaredJson_ToAPeer_ArrivesAsJson_WithThePeersModelId()
    {
        await using var peer = await FakePeer.StartAsync();
        await using var harness = await GatewayHarness.StartAsync(url => GatewayHarness.DefaultConfig(url) with
        {
            Peers = new PeerSet([new PeerConfig { Id = "remote", Proxy = new Uri(peer.Url), Models = ["org/m"] }]),
        });

        using var response = await harness.Client.PostAsync("/v1/chat/completions", Body("""{"model":"remote/org/m"}""", "application/x-www-form-urlencoded"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var seen = Assert.Single(peer.Requests);
        Assert.Equal("""{"model":"org/m"}""", seen.Body);
        Assert.Equal("application/json", seen.ContentType);
    }

    [Fact]
    public async Task UndeclaredJson_Malformed_Is400SayingWhereItBroke_AndNothingIsAcquired()
    {
        await using var harness = await GatewayHarness.StartAsync();

        using var response = await harness.Client.PostAsync(
            "/v1/chat/completions", Body("""{"model":"llama", "messages":[}""", "application/x-www-form-urlencoded"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("llama-swap", document.RootElement.GetProperty("src").GetString());
        var error = document.RootElement.GetProperty("error");
        Assert.Equal("bad_request", error.GetProperty("code").GetString());
        var message = error.GetProperty("message").GetString();
        Assert.StartsWith("request body is not valid JSON: ", message, StringComparison.Ordinal);
        Assert.Contains("BytePositionInLine: 30", message, StringComparison.Ordinal);
        Assert.Empty(harness.Supervisor.Acquires);
    }

    [Fact]
    public async Task RealForm_StillRoutesByItsModelField_AndKeepsItsType()
    {
        await using var harness = await GatewayHarness.StartAsync();

        using var response = await harness.Client.PostAsync("/v1/completions", Body("model=llama&prompt=%7B", "application/x-www-form-urlencoded"));

        var echo = await ReadEcho(response);
        Assert.Equal("llama", Assert.Single(harness.Supervisor.Acquires).Model);
        Assert.Equal("application/x-www-form-urlencoded", echo.GetProperty("contentType").GetString());
    }
}
