using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using LlamaSwap.Core.Configuration;
using LlamaSwap.Gateway.Configuration;
using LlamaSwap.Tests.Gateway.Support;
using Microsoft.Extensions.DependencyInjection;

namespace LlamaSwap.Tests.Gateway.Profiles;

/// <summary>Profiles through the gateway (reference 1.9, 2.3, 2.5, 6.2 profiles).</summary>
public sealed class ProfileTests
{
    internal static LlamaSwapConfig Config(string upstreamUrl) => GatewayHarness.DefaultConfig(upstreamUrl) with
    {
        Selectors = new Dictionary<string, SelectorConfig>
        {
            ["sel"] = new() { Id = "sel", Strategy = SelectorStrategies.Pin, Targets = ["qwen", "llama"] },
        },
        Profiles = new Dictionary<string, ProfileConfig>
        {
            ["coding"] = new()
            {
                Id = "coding",
                Description = "code",
                Pins = new Dictionary<string, string?> { ["code"] = "gpt-4o-mini", ["off"] = null, ["virtual"] = "sel", ["qwen"] = "llama" },
            },
            ["alpha"] = new() { Id = "alpha", Pins = new Dictionary<string, string?> { ["a"] = "llama" } },
        },
    };

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static async Task Activate(GatewayHarness harness, string? name)
    {
        var response = await harness.Client.PutAsync("/api/profiles/active", JsonContent.Create(new { name }));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static async Task<string> ErrorMessage(HttpResponseMessage response)
    {
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.GetProperty("error").GetProperty("message").GetString()!;
    }

    [Fact]
    public async Task GetProfiles_ListsSortedWithNoneActive_ThenTheActiveOne()
    {
        await using var harness = await GatewayHarness.StartAsync(Config);

        using (var before = JsonDocument.Parse(await harness.Client.GetStringAsync("/api/profiles")))
        {
            Assert.Equal(JsonValueKind.Null, before.RootElement.GetProperty("active").ValueKind);
            var profiles = before.RootElement.GetProperty("profiles");
            Assert.Equal(["alpha", "coding"], profiles.EnumerateArray().Select(p => p.GetProperty("id").GetString()));
            var coding = profiles[1];
            Assert.Equal("code", coding.GetProperty("description").GetString());
            Assert.Equal("gpt-4o-mini", coding.GetProperty("pins").GetProperty("code").GetString());
            Assert.Equal(JsonValueKind.Null, coding.GetProperty("pins").GetProperty("off").ValueKind);
        }

        var put = await harness.Client.PutAsync("/api/profiles/active", JsonContent.Create(new { name = "coding" }));
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Equal("""{"active":"coding"}""", await put.Content.ReadAsStringAsync());

        using var after = JsonDocument.Parse(await harness.Client.GetStringAsync("/api/profiles"));
        Assert.Equal("coding", after.RootElement.GetProperty("active").GetString());

        var clear = await harness.Client.PutAsync("/api/profiles/active", Json("""{"name":null}"""));
        Assert.Equal("""{"active":null}""", await clear.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("not json", HttpStatusCode.BadRequest, "invalid profile request")]
    [InlineData("[1]", HttpStatusCode.BadRequest, "invalid profile request")]
    [InlineData("{}", HttpStatusCode.BadRequest, "profile name is required")]
    [InlineData("""{"name":5}""", HttpStatusCode.BadRequest, "profile name must be a string or null")]
    [InlineData("""{"name":"nope"}""", HttpStatusCode.NotFound, "profile \"nope\" not found")]
    public async Task PutActive_BadRequests_AnswerWithTheReferenceMessages(string body, HttpStatusCode status, string message)
    {
        await using var harness = await GatewayHarness.StartAsync(Config);

        var response = await harness.Client.PutAsync("/api/profiles/active", Json(body));

        Assert.Equal(status, response.StatusCode);
        Assert.Equal(message, await ErrorMessage(response));
    }

    [Fact]
    public async Task ActiveProfile_RewritesPinToTarget_UpstreamSeesTheTarget()
    {
        await using var harness = await GatewayHarness.StartAsync(Config);
        await Activate(harness, "coding");

        var response = await harness.Client.PostAsync("/v1/chat/completions", Json("""{"model":"code","x":1}"""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var echo = FakeUpstream.ParseEcho(await response.Content.ReadAsStringAsync());
        Assert.Equal("""{"model":"gpt-4o-mini","x":1}""", echo.GetProperty("body").GetString());
        Assert.Equal("llama", Assert.Single(harness.Supervisor.Acquires).Model);
    }

    [Fact]
    public async Task ActiveProfile_PinShadowingAModel_WinsOverTheModel()
    {
        await using var harness = await GatewayHarness.StartAsync(Config);
        await Activate(harness, "coding");

        var response = await harness.Client.PostAsync("/v1/chat/completions", Json("""{"model":"qwen"}"""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("llama", Assert.Single(harness.Supervisor.Acquires).Model);
    }

    [Fact]
    public async Task InactiveProfile_PinNamesAreUnknown()
    {
        await using var harness = await GatewayHarness.StartAsync(Config);

        var response = await harness.Client.PostAsync("/v1/chat/completions", Json("""{"model":"code"}"""));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("no router for requested model \"code\": GET /v1/models lists the available models", await ErrorMessage(response));
    }

    [Fact]
    public async Task NullPin_Answers404_WithoutAcquiring()
    {
        await using var harness = await GatewayHarness.StartAsync(Config);
        await Activate(harness, "coding");

        var response = await harness.Client.PostAsync("/v1/chat/completions", Json("""{"model":"off"}"""));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("no router for requested model \"off\": the active profile \"coding\" turns it off", await ErrorMessage(response));
        Assert.Empty(harness.Supervisor.Acquires);
    }

    [Fact]
    public async Task PinToSelector_ProfileRunsFirst_ThenTheSelector()
    {
        await using var harness = await GatewayHarness.StartAsync(Config);
        await Activate(harness, "coding");

        var response = await harness.Client.PostAsync("/v1/chat/completions", Json("""{"model":"virtual"}"""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var echo = FakeUpstream.ParseEcho(await response.Content.ReadAsStringAsync());

        // sel pins qwen, whose useModelName then applies as for a direct request.
        Assert.Equal("""{"model":"Qwen/Qwen3-8B"}""", echo.GetProperty("body").GetString());
        Assert.Equal("qwen", Assert.Single(harness.Supervisor.Acquires).Model);
    }

    [Fact]
    public async Task Upstream_PinPrefixIsRewritten_NullPinIs404()
    {
        await using var harness = await GatewayHarness.StartAsync(Config);
        await Activate(harness, "coding");

        var response = await harness.Client.GetAsync("/upstream/code/props?x=1");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var echo = FakeUpstream.ParseEcho(await response.Content.ReadAsStringAsync());
        Assert.Equal("/props", echo.GetProperty("path").GetString());
        Assert.Equal("llama", Assert.Single(harness.Supervisor.Acquires).Model);

        var off = await harness.Client.GetAsync("/upstream/off/props");
        Assert.Equal(HttpStatusCode.NotFound, off.StatusCode);

        // Selectors are not supported under /upstream, also through a pin.
        var virtualPin = await harness.Client.GetAsync("/upstream/virtual/props");
        Assert.Equal(HttpStatusCode.NotFound, virtualPin.StatusCode);
    }

    [Fact]
    public async Task ModelList_ActiveProfileAddsUnshadowedPins()
    {
        await using var harness = await GatewayHarness.StartAsync(Config);

        using (var before = JsonDocument.Parse(await harness.Client.GetStringAsync("/v1/models")))
        {
            Assert.DoesNotContain(before.RootElement.GetProperty("data").EnumerateArray(), e => e.GetProperty("id").GetString() == "code");
        }

        await Activate(harness, "coding");
        using var after = JsonDocument.Parse(await harness.Client.GetStringAsync("/v1/models"));
        var data = after.RootElement.GetProperty("data").EnumerateArray().ToList();
        var code = Assert.Single(data, e => e.GetProperty("id").GetString() == "code");
        Assert.Equal("profile", code.GetProperty("meta").GetProperty("llamaswap").GetProperty("type").GetString());
        Assert.Equal("unloaded", code.GetProperty("status").GetProperty("value").GetString());

        // null pins are not listed; a pin shadowing a model keeps the model's record only.
        Assert.DoesNotContain(data, e => e.GetProperty("id").GetString() == "off");
        Assert.Equal("model", Assert.Single(data, e => e.GetProperty("id").GetString() == "qwen").GetProperty("meta").GetProperty("llamaswap").GetProperty("type").GetString());
        Assert.Equal("selector", Assert.Single(data, e => e.GetProperty("id").GetString() == "sel")
            .GetProperty("meta").GetProperty("llamaswap").GetProperty("type").GetString());
    }

    [Fact]
    public async Task Reload_EndsTheActiveProfile()
    {
        await using var harness = await GatewayHarness.StartAsync(Config);
        await Activate(harness, "coding");

        var holder = harness.Gateway.Services.GetRequiredService<ConfigHolder>();
        holder.Replace(holder.Current with { });

        using var document = JsonDocument.Parse(await harness.Client.GetStringAsync("/api/profiles"));
        Assert.Equal(JsonValueKind.Null, document.RootElement.GetProperty("active").ValueKind);
    }
}
