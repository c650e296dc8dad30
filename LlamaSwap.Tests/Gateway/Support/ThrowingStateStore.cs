using LlamaSwap.Core.Contracts;
using LlamaSwap.Core.State;

namespace LlamaSwap.Tests.Gateway.Support;

/// <summary>A state store whose backend is down.</summary>
internal sealed class ThrowingStateStore : IModelStateStore
{
    public Task PublishAsync(ModelStateRecord record, CancellationToken cancellationToken = default)
        => throw new InvalidOperationException("store down");

    public Task<IReadOnlyList<ModelStateRecord>> GetAllAsync(CancellationToken cancellationToken = default)
        => throw new InvalidOperationException("store down");

    public Task<IAsyncDisposable> SubscribeAsync(Func<ModelStateRecord, Task> onChange, CancellationToken cancellationToken = default)
        => throw new InvalidOperationException("store down");
}
