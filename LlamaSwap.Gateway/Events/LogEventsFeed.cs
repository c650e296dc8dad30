using System.Text;
using System.Text.Json.Serialization;
using LlamaSwap.Core.Logs;
using LlamaSwap.Gateway.Logs;

namespace LlamaSwap.Gateway.Events;

/// <summary>
/// <c>logData</c> events (reference 2.4): every write to the proxy and upstream logs, live, and their
/// histories in a new client's snapshot (proxy first, then upstream, before <c>modelStatus</c>).
/// Upstream output reaches this gateway from the supervisor over Redis (see <see cref="UpstreamLogFeed"/>).
/// </summary>
internal sealed class LogEventsFeed(LogHub logs, EventHub hub) : BackgroundService, IEventSnapshotSource
{
    private const string ProxySource = "proxy";
    private const string UpstreamSource = "upstream";

    public int Order => -1;

    public IEnumerable<byte[]> Snapshot()
    {
        yield return Frame(ProxySource, logs.Proxy.GetHistory());
        yield return Frame(UpstreamSource, logs.Upstream.GetHistory());
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
        => Task.WhenAll(RelayAsync(ProxySource, logs.Proxy, stoppingToken), RelayAsync(UpstreamSource, logs.Upstream, stoppingToken));

    private static byte[] Frame(string source, ReadOnlySpan<byte> text)
        => EventFrame.Encode(EventTypes.LogData, new LogDataPayload(source, Encoding.UTF8.GetString(text)));

    private async Task RelayAsync(string source, LogMonitor monitor, CancellationToken stoppingToken)
    {
        // The monitor's subscription never blocks its writers: a lagging relay gets a drop marker.
        using var subscription = monitor.Subscribe();
        try
        {
            await foreach (var chunk in subscription.ReadAllAsync(stoppingToken))
            {
                if (hub.ClientCount > 0)
                {
                    hub.Publish(Frame(source, chunk.Span));
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    private sealed record LogDataPayload(
        [property: JsonPropertyName("source")] string Source,
        [property: JsonPropertyName("data")] string Data);
}
