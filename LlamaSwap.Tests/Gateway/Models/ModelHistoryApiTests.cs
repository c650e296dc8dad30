using System.Net;
using System.Text.Json;
using LlamaSwap.Core.Contracts;
using LlamaSwap.Core.State;
using LlamaSwap.Tests.Gateway.Support;

namespace LlamaSwap.Tests.Gateway.Models;

/// <summary><c>GET /api/models/history</c>: the model state changes the gateway saw, with each swap's cost.</summary>
public sealed class ModelHistoryApiTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 3, 10, 0, 0, TimeSpan.Zero);

    private static ModelStateRecord State(string model, string state, DateTimeOffset since) => new()
    {
        Model = model,
        State = state,
        Proxy = "http://127.0.0.1:5800",
        Cmd = $"llama-server --model {model}",
        Since = since,
    };

    private static async Task<List<JsonElement>> HistoryAsync(GatewayHarness harness, string query = "")
    {
        using var response = await harness.Client.GetAsync("/api/models/history" + query);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return [.. JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone().EnumerateArray()];
    }

    [Fact]
    public async Task History_StartsWithCurrentStates_ThenRecordsChanges_WithTheSwapCostOnReady()
    {
        var store = new InMemoryModelStateStore();
        await store.PublishAsync(State("qwen", ModelStates.Stopped, T0));
        await using var harness = await GatewayHarness.StartAsync(store: store);

        await store.PublishAsync(State("llama", ModelStates.Starting, T0.AddSeconds(10)));
        // A repeated state (load progress, TTL refresh) is no change.
        await store.PublishAsync(State("llama", ModelStates.Starting, T0.AddSeconds(11)));
        await store.PublishAsync(State("llama", ModelStates.Ready, T0.AddSeconds(12.5)));
        await store.PublishAsync(State("llama", ModelStates.Stopping, T0.AddSeconds(30)));
        await store.PublishAsync(State("llama", ModelStates.Stopped, T0.AddSeconds(31)));

        var history = await HistoryAsync(harness);

        Assert.Equal(
            ["qwen stopped", "llama starting", "llama ready", "llama stopping", "llama stopped"],
            history.Select(e => $"{e.GetProperty("model").GetString()} {e.GetProperty("state").GetString()}"));
        Assert.Equal(T0.AddSeconds(10), history[1].GetProperty("timestamp").GetDateTimeOffset());
        Assert.Equal(2500, history[2].GetProperty("load_ms").GetDouble());
        Assert.False(history[1].TryGetProperty("load_ms", out _));
        Assert.False(history[3].TryGetProperty("load_ms", out _));
    }

    [Fact]
    public async Task History_FiltersByModel_AndAnAliasShowsItsModel()
    {
        var store = new InMemoryModelStateStore();
        await using var harness = await GatewayHarness.StartAsync(store: store);
        await store.PublishAsync(State("llama", ModelStates.Starting, T0));
        await store.PublishAsync(State("qwen", ModelStates.Starting, T0.AddSeconds(1)));
        await store.PublishAsync(State("llama", ModelStates.Ready, T0.AddSeconds(2)));

        var byAlias = await HistoryAsync(harness, "?model=gpt-4o-mini");
        var unknown = await HistoryAsync(harness, "?model=nope");

        Assert.Equal(["starting", "ready"], byAlias.Select(e => e.GetProperty("state").GetString()));
        Assert.All(byAlias, e => Assert.Equal("llama", e.GetProperty("model").GetString()));
        Assert.Empty(unknown);
    }

    [Fact]
    public async Task History_KeepsOnlyTheNewestEntries()
    {
        var store = new InMemoryModelStateStore();
        await using var harness = await GatewayHarness.StartAsync(store: store);
        var capacity = LlamaSwap.Gateway.Models.History.ModelStateHistory.Capacity;
        for (var i = 0; i < capacity + 10; i++)
        {
            await store.PublishAsync(State("llama", i % 2 == 0 ? ModelStates.Starting : ModelStates.Ready, T0.AddSeconds(i)));
        }

        var history = await HistoryAsync(harness);

        Assert.Equal(capacity, history.Count);
        Assert.Equal(T0.AddSeconds(10), history[0].GetProperty("timestamp").GetDateTimeOffset());
        Assert.Equal(T0.AddSeconds(capacity + 9), history[^1].GetProperty("timestamp").GetDateTimeOffset());
    }
}
