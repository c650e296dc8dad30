using System.Net;
using System.Text;
using System.Text.Json;
using LlamaSwap.Core.Events;
using LlamaSwap.Gateway.Inflight;
using LlamaSwap.Tests.Gateway.Support;
using LlamaSwap.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace LlamaSwap.Tests.Gateway.Inflight;

/// <summary>
/// Every gateway's in-flight requests seen from every gateway on the same event bus (what Redis
/// pub/sub is between processes): listed in the other's <c>/api/events</c> snapshot with a prefixed
/// id, cancellable from there, gone when they end or their gateway falls silent.
/// </summary>
public sealed class SharedInflightTests
{
    [Fact]
    public async Task AnotherGatewaysRequest_IsListed_CancellableHere_AndRemovedWhenItEnds()
    {
        var bus = new InMemoryEventBus();
        await using var one = await GatewayHarness.StartAsync(bus: bus);
        await using var two = await GatewayHarness.StartAsync(bus: bus);
        var remoteOnTwo = two.Gateway.Services.GetRequiredService<RemoteInflight>();
        var oneId = one.Gateway.Services.GetRequiredService<SharedInflightFeed>().GatewayId;

        // Each hears the other's heartbeat, so from then on requests are announced as they start.
        await Eventually.TrueAsync(
            () => Task.FromResult(one.Gateway.Services.GetRequiredService<RemoteInflight>().HasPeers && remoteOnTwo.HasPeers),
            "the gateways hear each other's heartbeats",
            TimeSpan.FromSeconds(15));

        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = new StringContent("""{"model":"llama"}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-Test-Mode", "hang");
        using var response = await one.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var localId = response.Headers.GetValues(InflightRequests.IdHeader).Single();
        var shownId = $"{RemoteInflight.Tag(oneId)}-{localId}";

        await Eventually.TrueAsync(
            () => Task.FromResult(remoteOnTwo.Snapshot().Any(e => e.Id == shownId && e.Model == "llama")),
            $"gateway two lists gateway one's request as {shownId}",
            TimeSpan.FromSeconds(15));
        var snapshot = await FirstInflightFrameAsync(two.Client);
        Assert.Contains(snapshot.GetProperty("requests").EnumerateArray(), e => e.GetProperty("id").GetString() == shownId);
        Assert.Equal("snapshot", snapshot.GetProperty("operation").GetString());

        using var cancel = await two.Client.PostAsync($"/api/inflight/{shownId}/cancel", null);
        Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
        await one.Upstream.RequestAborted.Task.WaitAsync(TimeSpan.FromSeconds(15));
        await Assert.ThrowsAnyAsync<Exception>(async () => await response.Content.ReadAsStringAsync());
        await Eventually.TrueAsync(
            () => Task.FromResult(remoteOnTwo.Snapshot().All(e => e.Id != shownId)),
            "the ended request leaves gateway two's list",
            TimeSpan.FromSeconds(15));

        using var again = await two.Client.PostAsync($"/api/inflight/{shownId}/cancel", null);
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
    }

    [Fact]
    public void SilentGateway_HasItsRequestsRemoved_AfterTheTimeout()
    {
        var time = new ManualTimeProvider();
        var remote = new RemoteInflight(time);
        var changes = new List<(string Id, bool Removed)>();
        remote.Changed += (id, entry) => changes.Add((id, entry is null));
        remote.Replace("aaaaaaaa11", [new InflightEntry { Id = "7", Model = "m" }, new InflightEntry { Id = "8", Model = "m" }]);
        remote.Upsert("bbbbbbbb22", new InflightEntry { Id = "1", Model = "n" });

        Assert.True(remote.HasPeers);
        Assert.Equal(["aaaaaaaa-7", "aaaaaaaa-8", "bbbbbbbb-1"], remote.Snapshot().Select(e => e.Id).Order(StringComparer.Ordinal).ToArray());
        Assert.True(remote.TryFind(RemoteInflight.Tag("aaaaaaaa11") + "-7", out var gateway, out var localId));
        Assert.Equal(("aaaaaaaa11", 7L), (gateway, localId));

        time.Advance(RemoteInflight.Timeout / 2);
        remote.Seen("bbbbbbbb22");
        time.Advance(RemoteInflight.Timeout / 2 + TimeSpan.FromMilliseconds(1));
        remote.Expire();

        Assert.Equal(["1"], remote.Snapshot().Select(e => e.Id.Split('-').Last()).ToArray());
        Assert.Contains((RemoteInflight.Tag("aaaaaaaa11") + "-7", true), changes);
        Assert.Contains((RemoteInflight.Tag("aaaaaaaa11") + "-8", true), changes);
        Assert.False(remote.TryFind(RemoteInflight.Tag("aaaaaaaa11") + "-7", out _, out _));
    }

    private static async Task<JsonElement> FirstInflightFrameAsync(HttpClient client)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        using var response = await client.GetAsync("/api/events", HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(timeout.Token));
        while (await reader.ReadLineAsync(timeout.Token) is { } line)
        {
            if (!line.StartsWith("data:", StringComparison.Ordinal))
            {
                continue;
            }

            using var envelope = JsonDocument.Parse(line["data:".Length..]);
            if (envelope.RootElement.GetProperty("type").GetString() == "inflight")
            {
                return JsonDocument.Parse(envelope.RootElement.GetProperty("data").GetString()!).RootElement.Clone();
            }
        }

        throw new InvalidOperationException("/api/events ended before an inflight frame");
    }
}
