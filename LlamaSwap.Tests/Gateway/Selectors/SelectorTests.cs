using System.Net;
using System.Text;
using System.Text.Json;
using LlamaSwap.Core.Configuration;
using LlamaSwap.Core.Contracts;
using LlamaSwap.Tests.Gateway.Support;

namespace LlamaSwap.Tests.Gateway.Selectors;

/// <summary>Selectors through the gateway (reference 1.10, 2.2, 2.7, 6.2 selectors).</summary>
public sealed class SelectorTests
{
    private static LlamaSwapConfig Config(string upstreamUrl) => GatewayHarness.DefaultConfig(upstreamUrl) with
    {
        Selectors = new Dictionary<string, SelectorConfig>
        {
            ["pinned"] = new() { Id = "pinned", Strategy = SelectorStrategies.Pin, Targets = ["gpt-4o-mini", "qwen"] },
            ["warm"] = new()
            {
                Id = "warm", Strategy = SelectorStrategies.Warm, Targets = ["author/model", "llama", "qwen"],
                Name = " Warm ", Metadata = new() { ["tier"] = 1, ["type"] = "user" },
            },
            ["spill"] = new() { Id = "spill", Strategy = SelectorStrategies.Spillover, Targets = ["llama", "qwen"], Spillover = 1 },
            ["hidden"] = new() { Id = "hidden", Strategy = SelectorStrategies.Pin, Targets = ["llama"], Unlisted = true },
        },
    };

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static ModelStateRecord State(string model, string state) => new() { Model = model, State = state, Proxy = "http://x", Cmd = "cmd" };

    private static async Task<string> PostAndGetAcquiredModel(GatewayHarness harness, string model)
    {
        var before = harness.Supervisor.Acquires.Count;
        var response = await harness.Client.PostAsync("/v1/chat/completions", Json($$"""{"model":"{{model}}"}"""));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return harness.Supervisor.Acquires.ToArray()[before].Model;
    }

    [Fact]
    public async Task Pin_AlwaysTheFirstTarget_UpstreamSeesItAsConfigured()
    {
        await using var harness = await GatewayHarness.StartAsync(Config);
        harness.Supervisor.States.Add(State("qwen", ModelStates.Ready));

        var response = await harness.Client.PostAsync("/v1/chat/completions", Json("""{"model":"pinned"}"""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var echo = FakeUpstream.ParseEcho(await response.Content.ReadAsStringAsync());
        Assert.Equal("""{"model":"gpt-4o-mini"}""", echo.GetProperty("body").GetString());
        Assert.Equal("llama", Assert.Single(harness.Supervisor.Acquires).Model);
    }

    [Fact]
    public async Task Warm_PicksTheReadyTarget_ThenStarting_ThenTheFirst()
    {
        await using var harness = await GatewayHarness.StartAsync(Config);

        Assert.Equal("author/model", await PostAndGetAcquiredModel(harness, "warm"));

        harness.Supervisor.States.AddRange([State("llama", ModelStates.Starting), State("author/model", ModelStates.Stopping)]);
        Assert.Equal("llama", await PostAndGetAcquiredModel(harness, "warm"));

        harness.Supervisor.States.Add(State("qwen", ModelStates.Ready));
        Assert.Equal("qwen", await PostAndGetAcquiredModel(harness, "warm"));
    }

    [Fact]
    public async Task Spillover_BusyActiveTargetOverflowsToTheColdOne()
    {
        await using var harness = await GatewayHarness.StartAsync(Config);
        harness.Supervisor.States.Add(State("llama", ModelStates.Ready));

        // The first request holds llama busy (its lease is granted only when the test says so).
        var holdLlama = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        harness.Supervisor.OnAcquire = async (request, _) =>
        {
            if (request.Model == "llama")
            {
                await holdLlama.Task.WaitAsync(TimeSpan.FromSeconds(20));
            }

            return null;
        };

        var first = harness.Client.PostAsync("/v1/chat/completions", Json("""{"model":"spill"}"""));
        await LoopbackServer.WaitUntilAsync(() => harness.Supervisor.Acquires.Count == 1, because: "first request acquiring");
        Assert.Equal("llama", harness.Supervisor.Acquires.Single().Model);

        var second = await harness.Client.PostAsync("/v1/chat/completions", Json("""{"model":"spill"}"""));
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        var echo = FakeUpstream.ParseEcho(await second.Content.ReadAsStringAsync());
        Assert.Equal("""{"model":"Qwen/Qwen3-8B"}""", echo.GetProperty("body").GetString());
        Assert.Equal("qwen", harness.Supervisor.Acquires.ToArray()[1].Model);

        holdLlama.SetResult();
        Assert.Equal(HttpStatusCode.OK, (await first).StatusCode);

        // Both idle again: the ready target is the least busy active one.
        Assert.Equal("llama", await PostAndGetAcquiredModel(harness, "spill"));
    }

    [Fact]
    public async Task Spillover_EveryTargetStopping_Is503()
    {
        await using var harness = await GatewayHarness.StartAsync(Config);
        harness.Supervisor.States.AddRange([State("llama", ModelStates.Stopping), State("qwen", ModelStates.Stopping)]);

        var response = await harness.Client.PostAsync("/v1/chat/completions", Json("""{"model":"spill"}"""));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("selector \"spill\" has no available spillover targets", document.RootElement.GetProperty("error").GetProperty("message").GetString());
        Assert.Empty(harness.Supervisor.Acquires);
    }

    [Fact]
    public async Task Upstream_SelectorIsNotSupported()
    {
        await using var harness = await GatewayHarness.StartAsync(Config);

        var response = await harness.Client.GetAsync("/upstream/pinned/props");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Empty(harness.Supervisor.Acquires);
    }

    [Fact]
    public async Task ModelList_ListsSelectorsWithStrategyTargetsAndWarmStatus()
    {
        await using var harness = await GatewayHarness.StartAsync(Config);

        // qwen is the pin selector's second target: it does not make that selector loaded.
        harness.Supervisor.States.Add(State("qwen", ModelStates.Ready));
        using var document = JsonDocument.Parse(await harness.Client.GetStringAsync("/v1/models"));
        var data = document.RootElement.GetProperty("data").EnumerateArray().ToDictionary(e => e.GetProperty("id").GetString()!);

        Assert.False(data.ContainsKey("hidden"));
        var warm = data["warm"];
        Assert.Equal("Warm", warm.GetProperty("name").GetString());
        Assert.Equal("loaded", warm.GetProperty("status").GetProperty("value").GetString());
        var meta = warm.GetProperty("meta").GetProperty("llamaswap");
        Assert.Equal("selector", meta.GetProperty("type").GetString());
        Assert.Equal("warm", meta.GetProperty("strategy").GetString());
        Assert.Equal(1, meta.GetProperty("tier").GetInt32());
        Assert.Equal(["author/model", "llama", "qwen"], meta.GetProperty("targets").EnumerateArray().Select(t => t.GetString()));
        Assert.False(meta.TryGetProperty("spillover", out _));

        Assert.Equal("unloaded", data["pinned"].GetProperty("status").GetProperty("value").GetString());
        Assert.Equal(1, data["spill"].GetProperty("meta").GetProperty("llamaswap").GetProperty("spillover").GetInt32());
        Assert.Equal("loaded", data["spill"].GetProperty("status").GetProperty("value").GetString());
    }
}
