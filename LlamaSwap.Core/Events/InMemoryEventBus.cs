using System.Collections.Immutable;

namespace LlamaSwap.Core.Events;

/// <summary>In-process bus for single-process setups and tests (no Redis configured).</summary>
public sealed class InMemoryEventBus : IEventBus
{
    private ImmutableDictionary<string, ImmutableList<Action<string>>> _handlers =
        ImmutableDictionary<string, ImmutableList<Action<string>>>.Empty.WithComparers(StringComparer.Ordinal);

    public Task PublishAsync(string channel, string message)
    {
        if (_handlers.TryGetValue(channel, out var handlers))
        {
            foreach (var handler in handlers)
            {
                handler(message);
            }
        }

        return Task.CompletedTask;
    }

    public Task<IAsyncDisposable> SubscribeAsync(string channel, Action<string> onMessage, CancellationToken cancellationToken = default)
    {
        ImmutableInterlocked.AddOrUpdate(ref _handlers, channel, _ => [onMessage], (_, list) => list.Add(onMessage));
        return Task.FromResult<IAsyncDisposable>(new Subscription(this, channel, onMessage));
    }

    private sealed class Subscription(InMemoryEventBus bus, string channel, Action<string> handler) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            ImmutableInterlocked.AddOrUpdate(ref bus._handlers, channel, _ => [], (_, list) => list.Remove(handler));
            return ValueTask.CompletedTask;
        }
    }
}
