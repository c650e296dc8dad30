using System.Collections.Concurrent;
using LlamaSwap.Core.Contracts;

namespace LlamaSwap.Core.State;

/// <summary>Process-local store: what a single-process deployment or a unit test needs.</summary>
public sealed class InMemoryModelStateStore : IModelStateStore
{
    private readonly ConcurrentDictionary<string, ModelStateRecord> _records = new(StringComparer.Ordinal);
    private readonly List<Func<ModelStateRecord, Task>> _subscribers = [];
    private readonly Lock _gate = new();

    public async Task PublishAsync(ModelStateRecord record, CancellationToken cancellationToken = default)
    {
        _records[record.Model] = record;
        Func<ModelStateRecord, Task>[] subscribers;
        lock (_gate)
        {
            subscribers = [.. _subscribers];
        }

        foreach (var subscriber in subscribers)
        {
            await subscriber(record);
        }
    }

    public Task<IReadOnlyList<ModelStateRecord>> GetAllAsync(CancellationToken cancellationToken = default)
        => Task.FromResult<IReadOnlyList<ModelStateRecord>>([.. _records.Values.OrderBy(r => r.Model, StringComparer.Ordinal)]);

    public Task<IAsyncDisposable> SubscribeAsync(Func<ModelStateRecord, Task> onChange, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            _subscribers.Add(onChange);
        }

        return Task.FromResult<IAsyncDisposable>(new Subscription(this, onChange));
    }

    private sealed class Subscription(InMemoryModelStateStore owner, Func<ModelStateRecord, Task> handler) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            lock (owner._gate)
            {
                owner._subscribers.Remove(handler);
            }

            return ValueTask.CompletedTask;
        }
    }
}
