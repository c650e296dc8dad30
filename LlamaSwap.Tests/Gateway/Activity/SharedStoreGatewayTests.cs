using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using LlamaSwap.Core.Events;
using LlamaSwap.Core.Security;
using LlamaSwap.Gateway.Configuration;
using LlamaSwap.Gateway.Events;
using LlamaSwap.Tests.Gateway.Support;
using LlamaSwap.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace LlamaSwap.Tests.Gateway.Activity;

/// <summary>
/// Two in-process gateways on one <c>store.path</c> file and one event bus (what Redis pub/sub is
/// between processes): each lists, counts and serves the captures of the other's requests, and the
/// other's rows raise <c>activity</c> events on its <c>/api/events</c>. And a restarted gateway keeps them.
/// </summary>
public sealed class SharedStoreGatewayTests
{
    private sealed class Gateway : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private readonly FakeSupervisor _supervisor;

        private Gateway(WebApplication app, FakeSupervisor supervisor, string url)
        {
            _app = app;
            _supervisor = supervisor;
            Client = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(30) };
        }

        public HttpClient Client { get; }

        public static async Task<Gateway> StartAsync(FakeUpstream upstream, string storePath, IEventBus bus)
        {
            var supervisor = await FakeSupervisor.StartAsync(upstream.Url);
            var config = GatewayHarness.DefaultConfig(upstream.Url);
            config = config with { Observability = config.Observability with { StorePath = storePath } };
            var app = LlamaSwap.Gateway.Program.BuildApp(
                [
                    "--urls", "http://127.0.0.1:0",
                    $"--services:supervisor:http:0={supervisor.Url}",
                    "--Logging:LogLevel:Default=Warning",
                    $"--{KeyClaimSigner.SecretSetting}={GatewayHarness.ClaimSecret}",
                ],
                services =>
                {
                    services.AddSingleton(new ConfigHolder(config));
                    services.AddSingleton(bus);
                });
            await app.StartAsync();
            return new Gateway(app, supervisor, LoopbackServer.BoundUrl(app));
        }

        public async Task<long> ChatAsync(string marker)
        {
            using var response = await Client.PostAsync(
                "/v1/chat/completions",
                new StringContent($$"""{"model":"llama","messages":[{"role":"user","content":"{{marker}}"}]}""", Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            await response.Content.ReadAsStringAsync();
            long id = 0;
            await Eventually.TrueAsync(
                async () =>
                {
                    id = (await RowsAsync()).FirstOrDefault(r => r.Marker == marker).Id;
                    return id != 0;
                },
                $"the request {marker} is recorded",
                TimeSpan.FromSeconds(30));
            return id;
        }

        /// <summary>Every row this gateway lists, with the marker its capture's request body holds.</summary>
        public async Task<List<(long Id, string? Marker)>> RowsAsync()
        {
            using var page = await Client.GetFromJsonAsync<JsonDocument>("/api/metrics/activity?limit=999");
            var rows = new List<(long, string?)>();
            foreach (var row in page!.RootElement.GetProperty("data").EnumerateArray())
            {
                var id = row.GetProperty("id").GetInt64();
                rows.Add((id, row.GetProperty("has_capture").GetBoolean() ? await MarkerAsync(id) : null));
            }

            return rows;
        }

        public async Task<string?> MarkerAsync(long id)
        {
            using var response = await Client.GetAsync($"/api/captures/{id}");
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                return null;
            }

            using var capture = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            var body = JsonDocument.Parse(capture.RootElement.GetProperty("req_body").GetBytesFromBase64()).RootElement;
            return body.GetProperty("messages")[0].GetProperty("content").GetString();
        }

        public async Task<int> TotalRequestsAsync()
        {
            using var stats = await Client.GetFromJsonAsync<JsonDocument>("/api/metrics/stats");
            return stats!.RootElement.GetProperty("total_requests").GetInt32();
        }

        public async ValueTask DisposeAsync()
        {
            Client.Dispose();
            await _app.DisposeAsync();
            await _supervisor.DisposeAsync();
        }
    }

    [Fact]
    public async Task TwoGateways_OneFile_SeeEachOthersRowsStatsCapturesAndEvents()
    {
        using var dir = new TempStoreDirectory();
        var bus = new InMemoryEventBus();
        await using var upstream = await FakeUpstream.StartAsync();
        await using var one = await Gateway.StartAsync(upstream, dir.File(), bus);
        await using var two = await Gateway.StartAsync(upstream, dir.File(), bus);
        await using var eventsOnTwo = await ActivityEventsClient.ConnectAsync(two.Client, "/api/events");
        await using var eventsOnOne = await ActivityEventsClient.ConnectAsync(one.Client, "/api/events");

        var first = await one.ChatAsync("from-one");
        var second = await two.ChatAsync("from-two");

        Assert.NotEqual(first, second);
        Assert.Equal([(second, "from-two"), (first, "from-one")], await one.RowsAsync());
        Assert.Equal(await one.RowsAsync(), await two.RowsAsync());
        Assert.Equal(2, await two.TotalRequestsAsync());
        await Eventually.TrueAsync(() => eventsOnTwo.Ids.Contains(first), "gateway two raises the activity event of gateway one's row", TimeSpan.FromSeconds(30));
        await Eventually.TrueAsync(() => eventsOnOne.Ids.Contains(second), "gateway one raises the activity event of gateway two's row", TimeSpan.FromSeconds(30));

        // Each row once per gateway: its own through the recorder, the other's through the bus.
        await Eventually.TrueAsync(() => eventsOnTwo.Ids.Length == 2 && eventsOnOne.Ids.Length == 2, "both events on both gateways", TimeSpan.FromSeconds(30));
        Assert.Equal([first, second], eventsOnTwo.Ids.Order());
        Assert.Equal([first, second], eventsOnOne.Ids.Order());
    }

    [Fact]
    public async Task OtherStore_EventsNotForwarded()
    {
        using var dir = new TempStoreDirectory();
        var bus = new InMemoryEventBus();
        await using var upstream = await FakeUpstream.StartAsync();
        await using var one = await Gateway.StartAsync(upstream, dir.File("one.db"), bus);
        await using var two = await Gateway.StartAsync(upstream, dir.File("two.db"), bus);
        await using var eventsOnTwo = await ActivityEventsClient.ConnectAsync(two.Client, "/api/events");

        var announced = 0;
        await using var observer = await bus.SubscribeAsync(SharedActivityFeed.Channel, _ => Interlocked.Increment(ref announced));

        // Ids 1 and 2 in one.db; the bus calls gateway two's handler before this test's (subscribed later).
        await one.ChatAsync("elsewhere-1");
        await one.ChatAsync("elsewhere-2");
        await Eventually.TrueAsync(() => Volatile.Read(ref announced) == 2, "gateway one announced its rows", TimeSpan.FromSeconds(30));
        var own = await two.ChatAsync("here");

        await Eventually.TrueAsync(() => eventsOnTwo.Ids.Contains(own), "gateway two's own row raises its event", TimeSpan.FromSeconds(30));
        Assert.Equal(1, own);
        Assert.Equal([own], eventsOnTwo.Ids);
        Assert.Equal([(own, "here")], await two.RowsAsync());
    }

    [Fact]
    public async Task Restart_SameFile_ListsOldRowsAndCapturesAndNumbersOn()
    {
        using var dir = new TempStoreDirectory();
        await using var upstream = await FakeUpstream.StartAsync();
        long before;
        await using (var gateway = await Gateway.StartAsync(upstream, dir.File(), new InMemoryEventBus()))
        {
            before = await gateway.ChatAsync("before-restart");
        }

        await using var restarted = await Gateway.StartAsync(upstream, dir.File(), new InMemoryEventBus());
        var after = await restarted.ChatAsync("after-restart");

        Assert.Equal(before + 1, after);
        Assert.Equal([(after, "after-restart"), (before, "before-restart")], await restarted.RowsAsync());
    }
}
