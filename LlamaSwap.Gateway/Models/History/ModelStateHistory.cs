using LlamaSwap.Core.Contracts;
using LlamaSwap.Core.State;

namespace LlamaSwap.Gateway.Models.History;

/// <summary>
/// The last <see cref="Capacity"/> model state changes this gateway has seen, oldest first, fed by the
/// shared store's change events (the same events that drive <c>modelStatus</c>). In memory only: the
/// Activity page's model timeline and the model detail page read it through <c>GET /api/models/history</c>.
/// </summary>
internal sealed partial class ModelStateHistory(IModelStateStore store, TimeProvider time, ILogger<ModelStateHistory> logger)
    : IHostedService, IAsyncDisposable
{
    /// <summary>Enough for days of swapping at a few entries per swap, at ~100 bytes each.</summary>
    public const int Capacity = 2000;

    private readonly Lock _lock = new();
    private readonly Queue<ModelStateChange> _entries = new();
    private readonly Dictionary<string, ModelStateChange> _last = new(StringComparer.Ordinal);
    private IAsyncDisposable? _subscription;

    /// <summary>The recorded changes, oldest first; only <paramref name="model"/>'s when given.</summary>
    public IReadOnlyList<ModelStateChange> Snapshot(string? model = null)
    {
        lock (_lock)
        {
            return [.. model is null ? _entries : _entries.Where(e => string.Equals(e.Model, model, StringComparison.Ordinal))];
        }
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            // Subscribe before reading, so no change falls between the two.
            _subscription = await store.SubscribeAsync(OnChange, cancellationToken);
            foreach (var record in (await store.GetAllAsync(cancellationToken)).OrderBy(r => r.Since))
            {
                Add(record, onlyIfNew: true);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // History is informational: a store that is down at start must not stop the gateway.
            Log.HistoryFailed(logger, ex);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        if (_subscription is not null)
        {
            await _subscription.DisposeAsync();
        }
    }

    internal Task OnChange(ModelStateRecord record)
    {
        Add(record, onlyIfNew: false);
        return Task.CompletedTask;
    }

    private void Add(ModelStateRecord record, bool onlyIfNew)
    {
        var timestamp = record.Since == default ? time.GetUtcNow() : record.Since;
        lock (_lock)
        {
            var previous = _last.GetValueOrDefault(record.Model);
            if (previous is not null && (onlyIfNew || previous.State == record.State))
            {
                // The initial read races the subscription, and the store re-announces unchanged states
                // (load progress, TTL refreshes): neither is a change.
                return;
            }

            var entry = new ModelStateChange(record.Model, record.State, timestamp)
            {
                LoadMs = record.State == ModelStates.Ready && previous?.State == ModelStates.Starting
                    ? Math.Max(0, (timestamp - previous.Timestamp).TotalMilliseconds)
                    : null,
            };
            _last[record.Model] = entry;
            _entries.Enqueue(entry);
            while (_entries.Count > Capacity)
            {
                _entries.Dequeue();
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1760, Level = LogLevel.Warning, Message = "Cannot follow model states; the model state history stays empty")]
        public static partial void HistoryFailed(ILogger logger, Exception exception);
    }
}
