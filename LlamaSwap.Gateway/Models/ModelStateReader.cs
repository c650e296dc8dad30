using LlamaSwap.Core.Contracts;
using LlamaSwap.Core.State;
using LlamaSwap.Gateway.Supervision;

namespace LlamaSwap.Gateway.Models;

/// <summary>
/// Model states for the read-only endpoints: the shared store first, the supervisor's own view when
/// the store is down or has nothing yet (the supervisor publishes every model once it is up).
/// </summary>
internal sealed partial class ModelStateReader(IModelStateStore store, SupervisorClient supervisor, ILogger<ModelStateReader> logger)
{
    /// <summary>States by model ID, or null when neither source answered.</summary>
    public async Task<IReadOnlyDictionary<string, ModelStateRecord>?> GetAllAsync(CancellationToken cancellationToken)
    {
        try
        {
            var records = await store.GetAllAsync(cancellationToken);
            if (records.Count > 0)
            {
                return ByModel(records);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.StoreFailed(logger, ex);
        }

        try
        {
            return ByModel(await supervisor.GetStateAsync(cancellationToken));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.SupervisorStateFailed(logger, ex);
            return null;
        }
    }

    /// <summary>Whether a state counts as loaded for <c>/v1/models</c>: any state with a live process.</summary>
    public static bool IsLoaded(string? state)
        => state is ModelStates.Starting or ModelStates.Ready or ModelStates.Stopping;

    private static Dictionary<string, ModelStateRecord> ByModel(IReadOnlyList<ModelStateRecord> records)
    {
        var byModel = new Dictionary<string, ModelStateRecord>(StringComparer.Ordinal);
        foreach (var record in records)
        {
            byModel[record.Model] = record;
        }

        return byModel;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 300, Level = LogLevel.Warning, Message = "Model state store unavailable; asking the supervisor")]
        public static partial void StoreFailed(ILogger logger, Exception exception);

        [LoggerMessage(EventId = 301, Level = LogLevel.Error, Message = "Supervisor state unavailable")]
        public static partial void SupervisorStateFailed(ILogger logger, Exception exception);
    }
}
