using System.Collections.Concurrent;
using LlamaSwap.Core.Contracts;
using LlamaSwap.Core.State;
using LlamaSwap.Gateway.Configuration;
using LlamaSwap.Gateway.Models;
using LlamaSwap.Gateway.Profiles;

namespace LlamaSwap.Gateway.Events;

/// <summary>
/// Keeps the latest state of every model as the supervisor publishes it through the shared store
/// (Redis pub/sub between processes) and sends a fresh <c>modelStatus</c> on every change, config
/// reload and profile switch.
/// </summary>
internal sealed partial class ModelStatusFeed(
    IModelStateStore store,
    ModelStateReader reader,
    ConfigHolder config,
    ActiveProfile profile,
    EventHub hub,
    TimeProvider time,
    ILogger<ModelStatusFeed> logger) : BackgroundService
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(2);

    private readonly ConcurrentDictionary<string, ModelStateRecord> _states = new(StringComparer.Ordinal);

    /// <summary>The latest load estimate of a starting model, as the supervisor published it (null when none).</summary>
    public LoadProgress? ProgressOf(string modelId)
        => _states.TryGetValue(modelId, out var record) && record.State == ModelStates.Starting ? record.Progress : null;

    /// <summary>The current payload (also the snapshot a new client gets).</summary>
    public List<ModelStatusEntry> Current() => ModelStatusEntry.Build(config.Current, _states);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        config.Replaced += _ => PublishCurrent();
        profile.Changed += _ => PublishCurrent();

        IAsyncDisposable? subscription = null;
        while (subscription is null && !stoppingToken.IsCancellationRequested)
        {
            try
            {
                // Subscribe before reading, so no change falls between the read and the subscription.
                subscription = await store.SubscribeAsync(OnChangeAsync, stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Log.SubscribeFailed(logger, ex);
                await Task.Delay(RetryDelay, time, stoppingToken);
            }
        }

        await using (subscription)
        {
            if (await reader.GetAllAsync(stoppingToken) is { } initial)
            {
                foreach (var (id, record) in initial)
                {
                    _states.TryAdd(id, record);
                }

                PublishCurrent();
            }

            var stopped = new TaskCompletionSource();
            using var registration = stoppingToken.Register(() => stopped.TrySetResult());
            await stopped.Task;
        }
    }

    private Task OnChangeAsync(ModelStateRecord record)
    {
        _states[record.Model] = record;
        PublishCurrent();
        return Task.CompletedTask;
    }

    private void PublishCurrent()
    {
        if (hub.ClientCount > 0)
        {
            hub.Publish(EventTypes.ModelStatus, Current());
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 721, Level = LogLevel.Warning, Message = "Cannot subscribe to model state changes yet; retrying")]
        public static partial void SubscribeFailed(ILogger logger, Exception exception);
    }
}
