using System.Net;
using System.Text;
using System.Text.Json;
using LlamaSwap.Core.Contracts;
using LlamaSwap.Core.State;
using LlamaSwap.Tests.Gateway.Support;

namespace LlamaSwap.Tests.Gateway;

/// <summary>The gateway's own HTTP API: listing, running, unload, CORS, /upstream.</summary>
public sealed class GatewayApiTests
{
    private static ModelStateRecord State(string model, string state, int ttl = 0) => new()
    {
        Model = model,
        State = state,
        Proxy = "http://127.0.0.1:5800",
        Cmd = $"llama-server --model {model}",
        Ttl = ttl,
        Name = model == "llama" ? "Llama 3" : null,
    };

    private static async Task<JsonElement> ReadJson(HttpResponseMessage response, HttpStatusCode expected = HttpStatusCode.OK)
    {
        Assert.Equal(expected, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    [Fact]
    public async Task ModelsList_HasOpenAiShape_StatusFromStore_AndEchoesOrigin()
    {
        var store = new InMemoryModelStateStore();
        await store.PublishAsync(State("llama", ModelStates.Ready));
        await store.PublishAsync(State("qwen", ModelStates.Stopped));
        await using var harness = await GatewayHarness.StartAsync(store: store);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/models");
        request.Headers.Add("Origin", "http://ui.example");

        using var response = await harness.Client.SendAsync(request);
        var body = await ReadJson(response);

        Assert.Equal("http://ui.example", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Equal("list", body.GetProperty("object").GetString());
        var data = body.GetProperty("data").EnumerateArray().ToList();
        Assert.Equal(["author/model", "gpt-4o-mini", "llama", "qwen"], data.Select(d => d.GetProperty("id").GetString()));
        var llama = data[2];
        Assert.Equal("model", llama.GetProperty("object").GetString());
        Assert.Equal("llama-swap", llama.GetProperty("owned_by").GetString());
        Assert.InRange(llama.GetProperty("created").GetInt64(), DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 60, DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 60);
        Assert.Equal("Llama 3", llama.GetProperty("name").GetString());
        Assert.Equal("A test model", llama.GetProperty("description").GetString());
        Assert.Equal("model", llama.GetProperty("meta").GetProperty("llamaswap").GetProperty("type").GetString());
        Assert.Equal("gpt-4o-mini", llama.GetProperty("meta").GetProperty("llamaswap").GetProperty("aliases")[0].GetString());
        Assert.Equal("loaded", llama.GetProperty("status").GetProperty("value").GetString());
        Assert.Equal("unloaded", data[3].GetProperty("status").GetProperty("value").GetString());
        Assert.False(data[0].TryGetProperty("name", out _));
        Assert.False(data[0].GetProperty("meta").GetProperty("llamaswap").TryGetProperty("aliases", out _));
        Assert.Equal("llama", data[1].GetProperty("meta").GetProperty("llamaswap").GetProperty("modelID").GetString());
    }

    [Fact]
    public async Task ModelsList_FallsBackToSupervisorState_WhenStoreFails()
    {
        await using var harness = await GatewayHarness.StartAsync(store: new ThrowingStateStore());
        harness.Supervisor.States.Add(State("qwen", ModelStates.Starting));

        var body = await ReadJson(await harness.Client.GetAsync("/models"));

        var qwen = body.GetProperty("data").EnumerateArray().Single(d => d.GetProperty("id").GetString() == "qwen");
        Assert.Equal("loaded", qwen.GetProperty("status").GetProperty("value").GetString());
    }

    [Fact]
    public async Task Running_ListsLiveModelsSorted()
    {
        await using var harness = await GatewayHarness.StartAsync();
        harness.Supervisor.States.AddRange([State("qwen", ModelStates.Ready, ttl: 300), State("author/model", ModelStates.Stopped), State("llama", ModelStates.Stopping)]);

        var running = (await ReadJson(await harness.Client.GetAsync("/running"))).GetProperty("running").EnumerateArray().ToList();

        Assert.Equal(["llama", "qwen"], running.Select(r => r.GetProperty("model").GetString()));
        Assert.Equal("stopping", running[0].GetProperty("state").GetString());
        Assert.Equal("Llama 3", running[0].GetProperty("name").GetString());
        Assert.Equal(300, running[1].GetProperty("ttl").GetInt32());
        Assert.Equal("llama-server --model qwen", running[1].GetProperty("cmd").GetString());
        Assert.Equal("http://127.0.0.1:5800", running[1].GetProperty("proxy").GetString());
        Assert.Equal("", running[1].GetProperty("description").GetString());
    }

    [Fact]
    public async Task UnloadAll_ViaApiAndLegacyRoute()
    {
        await using var harness = await GatewayHarness.StartAsync();

        var api = await harness.Client.PostAsync("/api/models/unload", null);
        Assert.Equal("ok", (await ReadJson(api)).GetProperty("msg").GetString());
        var legacy = await harness.Client.GetAsync("/unload");
        Assert.Equal("OK", await legacy.Content.ReadAsStringAsync());

        Assert.Equal(["*", "*"], harness.Supervisor.Unloads);
    }

    [Theory]
    [InlineData("gpt-4o-mini", "llama")]
    [InlineData("author/model", "author/model")]
    public async Task UnloadOne_ResolvesAliases_AndAllowsSlashes(string requested, string unloaded)
    {
        await using var harness = await GatewayHarness.StartAsync();

        using var response = await harness.Client.PostAsync($"/api/models/unload/{requested}", null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("OK", await response.Content.ReadAsStringAsync());
        Assert.Equal([unloaded], harness.Supervisor.Unloads);
    }

    [Fact]
    public async Task UnloadOne_Unknown_Is404()
    {
        await using var harness = await GatewayHarness.StartAsync();
        var error = await ReadJson(await harness.Client.PostAsync("/api/models/unload/nope", null), HttpStatusCode.NotFound);
        Assert.Equal("model not found \"nope\": GET /v1/models lists the available models", error.GetProperty("error").GetProperty("message").GetString());
        Assert.Empty(harness.Supervisor.Unloads);
    }

    [Fact]
    public async Task Options_AnyPath_Is204WithCorsHeaders()
    {
        await using var harness = await GatewayHarness.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Options, "/v1/chat/completions");
        request.Headers.TryAddWithoutValidation("Access-Control-Request-Headers", "content-type, x-custom;(<b>)");

        using var response = await harness.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal("*", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Equal("GET, POST, PUT, PATCH, DELETE, OPTIONS", response.Headers.GetValues("Access-Control-Allow-Methods").Single());
        Assert.Equal("content-type, x-customb", response.Headers.GetValues("Access-Control-Allow-Headers").Single());
        Assert.Equal("86400", response.Headers.GetValues("Access-Control-Max-Age").Single());
        Assert.Empty(harness.Supervisor.Acquires);
    }

    [Fact]
    public async Task Upstream_Root_RedirectsToUi()
    {
        await using var harness = await GatewayHarness.StartAsync();
        using var response = await harness.Client.GetAsync("/upstream");
        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.Equal("/ui/models", response.Headers.Location?.OriginalString);
    }

    [Theory]
    [InlineData("GET", HttpStatusCode.MovedPermanently)]
    [InlineData("POST", HttpStatusCode.PermanentRedirect)]
    public async Task Upstream_BareModel_RedirectsToTrailingSlash(string method, HttpStatusCode status)
    {
        await using var harness = await GatewayHarness.StartAsync();
        using var response = await harness.Client.SendAsync(new HttpRequestMessage(new HttpMethod(method), "/upstream/author/model?_=1"));
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("/upstream/author/model/?_=1", response.Headers.Location?.OriginalString);
        Assert.Empty(harness.Supervisor.Acquires);
    }

    [Fact]
    public async Task Upstream_ForwardsRemainder_WithQueryAndUntouchedBody()
    {
        await using var harness = await GatewayHarness.StartAsync();
        const string body = """{"model":"something-else"}""";

        using var response = await harness.Client.PostAsync(
            "/upstream/gpt-4o-mini/v1/files/a%2Fb?x=1", new StringContent(body, Encoding.UTF8, "application/json"));
        var echo = await ReadJson(response);

        Assert.Equal("llama", Assert.Single(harness.Supervisor.Acquires).Model);
        Assert.Equal("/v1/files/a%2Fb?x=1", echo.GetProperty("rawTarget").GetString());
        Assert.Equal(body, echo.GetProperty("body").GetString());
        await LoopbackServer.WaitUntilAsync(() => !harness.Supervisor.Releases.IsEmpty);
    }

    [Fact]
    public async Task Upstream_UnknownModel_Is404()
    {
        await using var harness = await GatewayHarness.StartAsync();
        var error = await ReadJson(await harness.Client.GetAsync("/upstream/nope/health"), HttpStatusCode.NotFound);
        Assert.Equal("model not found \"nope\": GET /v1/models lists the available models", error.GetProperty("error").GetProperty("message").GetString());
    }

    [Fact]
    public async Task Health_IsOk_AndUnmatchedIs404()
    {
        await using var harness = await GatewayHarness.StartAsync();
        Assert.Equal("OK", await harness.Client.GetStringAsync("/health"));
        Assert.Equal(HttpStatusCode.NotFound, (await harness.Client.GetAsync("/no/such/route")).StatusCode);
    }
}
