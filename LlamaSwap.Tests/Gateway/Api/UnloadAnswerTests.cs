using System.Net;
using System.Text.Json;
using LlamaSwap.Tests.Gateway.Support;

namespace LlamaSwap.Tests.Gateway.Api;

/// <summary>
/// The unload endpoints answer as llama-swap does (<c>OK</c> text, or <c>{"msg":"ok"}</c> for
/// <c>POST /api/models/unload</c>), and JSON, errors included, to a client whose Accept asks for it.
/// </summary>
public sealed class UnloadAnswerTests
{
    // What axios sends: without the JSON preference its errors would be text (text/plain is listed).
    private const string AxiosAccept = "application/json, text/plain, */*";

    public static TheoryData<string, string> Endpoints => new()
    {
        { "GET", "/unload" },
        { "POST", "/api/models/unload" },
        { "POST", "/api/models/unload/gpt-4o-mini" },
    };

    private static HttpRequestMessage Request(string method, string path, string? accept)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (accept is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }

        return request;
    }

    [Theory]
    [InlineData("GET", "/unload", "text/plain", "OK")]
    [InlineData("POST", "/api/models/unload", "application/json", """{"msg":"ok"}""")]
    [InlineData("POST", "/api/models/unload/gpt-4o-mini", "text/plain", "OK")]
    public async Task WithoutAJsonAccept_EachAnswersAsLlamaSwap(string method, string path, string mediaType, string body)
    {
        await using var harness = await GatewayHarness.StartAsync();

        foreach (var accept in new[] { null, "*/*", "text/plain" })
        {
            using var response = await harness.Client.SendAsync(Request(method, path, accept));

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
            Assert.Equal(body, await response.Content.ReadAsStringAsync());
        }

        Assert.Equal(3, harness.Supervisor.Unloads.Count);
    }

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task AcceptingJson_EveryEndpointAnswersMsgOk(string method, string path)
    {
        await using var harness = await GatewayHarness.StartAsync();

        foreach (var accept in new[] { "application/json", AxiosAccept, "text/html;q=0.9, application/json" })
        {
            using var response = await harness.Client.SendAsync(Request(method, path, accept));

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
            using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            Assert.Equal("ok", document.RootElement.GetProperty("msg").GetString());
        }

        Assert.Equal(3, harness.Supervisor.Unloads.Count);
    }

    [Fact]
    public async Task AcceptingJsonAtQualityZero_IsNotAskingForJson()
    {
        await using var harness = await GatewayHarness.StartAsync();

        using var response = await harness.Client.SendAsync(Request("GET", "/unload", "application/json;q=0, text/plain"));

        Assert.Equal("OK", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task Errors_AreJson_ForAJsonClient_AndText_ForATextClient(string method, string path)
    {
        // Nothing listens on port 1: every unload fails with "supervisor unreachable".
        await using var harness = await GatewayHarness.StartAsync(extraArgs: ["--services:supervisor:http:0=http://127.0.0.1:1"]);

        using (var json = await harness.Client.SendAsync(Request(method, path, AxiosAccept)))
        {
            Assert.Equal(HttpStatusCode.BadGateway, json.StatusCode);
            Assert.Equal("application/json", json.Content.Headers.ContentType?.MediaType);
            using var document = JsonDocument.Parse(await json.Content.ReadAsStringAsync());
            Assert.Equal("llama-swap", document.RootElement.GetProperty("src").GetString());
            Assert.StartsWith("supervisor unreachable", document.RootElement.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        }

        using var text = await harness.Client.SendAsync(Request(method, path, "text/plain"));
        Assert.Equal(HttpStatusCode.BadGateway, text.StatusCode);
        Assert.StartsWith("llama-swap: supervisor unreachable", await text.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownModel_IsAJson404_ForAJsonClient()
    {
        await using var harness = await GatewayHarness.StartAsync();

        using var response = await harness.Client.SendAsync(Request("POST", "/api/models/unload/nope", AxiosAccept));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.StartsWith("model not found \"nope\"", document.RootElement.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Empty(harness.Supervisor.Unloads);
    }
}
