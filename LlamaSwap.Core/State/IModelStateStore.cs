using LlamaSwap.Core.Contracts;

namespace LlamaSwap.Core.State;

/// <summary>
/// Shared model state (Redis in production). Serving never depends on it: a store outage only
/// affects what gateways report, and the supervisor republishes everything when it reconnects.
/// </summary>
public interface IModelStateStore
{
    /// <summary>Records the model's state and publishes a state-change event.</summary>
    Task PublishAsync(ModelStateRecord record, CancellationToken cancellationToken = default);

    /// <summary>Every recorded model state.</summary>
    Task<IReadOnlyList<ModelStateRecord>> GetAllAsync(CancellationToken cancellationToken = default);

    /// <summary>Subscribes to state-change events until the returned handle is disposed.</summary>
    Task<IAsyncDisposable> SubscribeAsync(Func<ModelStateRecord, Task> onChange, CancellationToken cancellationToken = default);
}
