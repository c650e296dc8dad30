using System.Collections.Concurrent;
using LlamaSwap.Core.Contracts;
using LlamaSwap.Core.State;
using LlamaSwap.Gateway.Models;

namespace LlamaSwap.Gateway.Metrics;

/// <summary>
/// Keeps every model's last known state from the shared store's change events, so the
/// models-loaded gauge is a dictionary count at collection time, not a Redis round trip per scrape.
/// </summary>
internal sealed partial class LoadedModelsTracker(IModelStateStore store, ILogger<LoadedModelsTracker> logger) : IHostedService, IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, string> _states = new(StringComparer.Ordinal);
    private IAsyncDisposable? _subscription;

    /// <summary>Models whose last state has a live process (as <c>/v1/models</c> counts them).</summary>
    public int LoadedCount => _states.Count(s => ModelStateReader.IsLoaded(s.Value));

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            // Subscribe before reading, so no change falls between the two; a late event only overwrites.
            _subscription = await store.SubscribeAsync(OnChange, cancellationToken);
            foreach (var record in await store.GetAllAsync(cancellationToken))
            {
                _states.TryAdd(record.Model, record.State);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The gauge is informational: a store that is down at start must not stop the gateway.
            Log.TrackingFailed(logger, ex);
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
        _states[record.Model] = record.State;
        return Task.CompletedTask;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1401, Level = LogLevel.Warning, Message = "Cannot follow model states; the models-loaded metric stays at what is known")]
        public static partial void TrackingFailed(ILogger logger, Exception exception);
    }
}
