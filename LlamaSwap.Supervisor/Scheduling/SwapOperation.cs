namespace LlamaSwap.Supervisor.Scheduling;

/// <summary>
/// Bringing one target model up: first every model in <see cref="Evict"/> stops, then the target
/// starts. Requests for the target that arrive meanwhile join <see cref="Waiters"/> (collation).
/// </summary>
internal sealed class SwapOperation(string target, IReadOnlySet<string> evict, long startedAt)
{
    public string Target { get; } = target;

    public IReadOnlySet<string> Evict { get; } = evict;

    public long StartedAt { get; } = startedAt;

    /// <summary>Set when the target's own start began (evictions done).</summary>
    public long? LoadStartedAt { get; set; }

    public List<PendingRequest> Waiters { get; } = [];
}
