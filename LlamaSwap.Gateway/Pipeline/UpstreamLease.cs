using LlamaSwap.Gateway.Supervision;

namespace LlamaSwap.Gateway.Pipeline;

/// <summary>
/// A granted lease on a ready upstream: while it is held the supervisor neither stops nor swaps the
/// model out. Disposing it releases the lease, once, before the request ends (a release still under
/// way could count against the client's next request's concurrency limit).
/// </summary>
internal sealed class UpstreamLease(SupervisorClient supervisor, string leaseId, string upstream) : IAsyncDisposable
{
    private int _released;

    /// <summary>The upstream's base URL.</summary>
    public string Upstream { get; } = upstream;

    public ValueTask DisposeAsync()
        => Interlocked.Exchange(ref _released, 1) == 0 ? new ValueTask(supervisor.ReleaseAsync(leaseId)) : ValueTask.CompletedTask;
}
