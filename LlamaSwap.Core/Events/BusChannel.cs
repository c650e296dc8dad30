using System.Threading.Channels;

namespace LlamaSwap.Core.Events;

/// <summary>
/// One <see cref="IEventBus"/> channel that a background service both speaks on and listens to:
/// <see cref="TryPost"/> queues a message without waiting (bounded; when the bus cannot keep up the
/// oldest message is dropped, as the bus is best effort anyway) and <see cref="RunAsync"/> publishes
/// the queue in order while delivering the channel's messages, until the service stops.
/// </summary>
public sealed class BusChannel(IEventBus bus, string channel, int capacity = 1024)
{
    private readonly Channel<string> _queue = Channel.CreateBounded<string>(
        new BoundedChannelOptions(capacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

    public string Name => channel;

    /// <summary>Queues <paramref name="message"/> for publishing; never blocks the caller.</summary>
    public bool TryPost(string message) => _queue.Writer.TryWrite(message);

    /// <summary>
    /// Subscribes (a failure is reported to <paramref name="subscribeFailed"/> and publishing goes on
    /// without listening), then publishes queued messages until <paramref name="stoppingToken"/> fires.
    /// </summary>
    public async Task RunAsync(Action<string> onMessage, Action<Exception> subscribeFailed, CancellationToken stoppingToken)
    {
        IAsyncDisposable? subscription = null;
        try
        {
            subscription = await bus.SubscribeAsync(channel, onMessage, stoppingToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            subscribeFailed(ex);
        }

        try
        {
            await foreach (var message in _queue.Reader.ReadAllAsync(stoppingToken))
            {
                await bus.PublishAsync(channel, message);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
        finally
        {
            if (subscription is not null)
            {
                await subscription.DisposeAsync();
            }
        }
    }
}
