using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using LlamaSwap.Core.Security;
using LlamaSwap.Tests.Gateway.Support;

namespace LlamaSwap.Tests.Gateway.Routing;

/// <summary>
/// An unknown model's 404 starts with llama-swap's words (scripts match them), names the model, points
/// to <c>GET /v1/models</c> and suggests the closest name the caller could use.
/// </summary>
public sealed class UnknownModelMessageTests : IAsyncLifetime
{
    private const string ListHint = ": GET /v1/models lists the available models";

    private GatewayHarness _harness = null!;

    public async Task InitializeAsync() => _harness = await GatewayHarness.StartAsync();

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static async Task<string> NotFoundMessage(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{(int)response.StatusCode}: {text}");
        using var document = JsonDocument.Parse(text);
        Assert.Equal("llama-swap", document.RootElement.GetProperty("src").GetString());
        Assert.Equal("not_found", document.RootElement.GetProperty("error").GetProperty("code").GetString());
        return document.RootElement.GetProperty("error").GetProperty("message").GetString()!;
    }

    private Task<HttpResponseMessage> Chat(string model) => _harness.Client.PostAsync("/v1/chat/completions", Json($$"""{"model":"{{model}}"}"""));

    [Theory]
    [InlineData("lama", "llama")]
    [InlineData("gpt-4o", "gpt-4o-mini")]
    [InlineData("Author/Model", "author/model")]
    public async Task ModelRoute_UnknownName_IsNamed_WithTheClosestListedName(string requested, string suggested)
    {
        using var response = await Chat(requested);

        Assert.Equal($"no router for requested model \"{requested}\"{ListHint} (did you mean \"{suggested}\"?)", await NotFoundMessage(response));
        Assert.Empty(_harness.Supervisor.Acquires);
    }

    [Theory]
    [InlineData("nope")]
    [InlineData("secre")] // "secret" is unlisted, and so are its aliases: never suggested
    public async Task ModelRoute_NothingClose_IsNamed_WithoutASuggestion(string requested)
    {
        using var response = await Chat(requested);

        Assert.Equal($"no router for requested model \"{requested}\"{ListHint}", await NotFoundMessage(response));
    }

    [Fact]
    public async Task ModelRoute_TextAccept_KeepsLlamaSwapsPrefix()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = Json("""{"model":"lama"}""") };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/plain"));

        using var response = await _harness.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.StartsWith("llama-swap: no router for requested model \"lama\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ModelRoute_RestrictedKey_IsNeverShownAModelItMayNotUse()
    {
        using var refused = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = Json("""{"model":"lama"}""") };
        refused.Headers.Add(KeyClaimSigner.HeaderName, GatewayHarness.Claim("k", "POST", ["qwen"]));
        using var allowed = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = Json("""{"model":"qwen3"}""") };
        allowed.Headers.Add(KeyClaimSigner.HeaderName, GatewayHarness.Claim("k", "POST", ["qwen"]));

        Assert.Equal($"no router for requested model \"lama\"{ListHint}", await NotFoundMessage(await _harness.Client.SendAsync(refused)));
        Assert.Equal(
            $"no router for requested model \"qwen3\"{ListHint} (did you mean \"qwen\"?)",
            await NotFoundMessage(await _harness.Client.SendAsync(allowed)));
    }

    [Fact]
    public async Task ModelRoute_AbsurdlyLongName_IsShortenedInTheMessage()
    {
        var name = new string('x', 5000);

        var message = await NotFoundMessage(await Chat(name));

        Assert.Equal($"no router for requested model \"{new string('x', 200)}…\"{ListHint}", message);
    }

    [Theory]
    [InlineData("/upstream/lama/health", "model not found \"lama\"" + ListHint + " (did you mean \"llama\"?)")]
    [InlineData("/upstream/author/modle/v1/models", "model not found \"author/modle\"" + ListHint + " (did you mean \"author/model\"?)")]
    [InlineData("/upstream/nope/health", "model not found \"nope\"" + ListHint)]
    public async Task UpstreamPath_UnknownModel_IsNamed(string path, string expected)
    {
        using var response = await _harness.Client.GetAsync(path);

        Assert.Equal(expected, await NotFoundMessage(response));
        Assert.Empty(_harness.Supervisor.Acquires);
    }

    [Fact]
    public async Task Unload_UnknownModel_IsNamed_WithTheClosestLocalModel()
    {
        using var response = await _harness.Client.PostAsync("/api/models/unload/lama", null);

        Assert.Equal($"model not found \"lama\"{ListHint} (did you mean \"llama\"?)", await NotFoundMessage(response));
        Assert.Empty(_harness.Supervisor.Unloads);
    }
}
