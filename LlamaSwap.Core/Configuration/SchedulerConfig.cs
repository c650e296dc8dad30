namespace LlamaSwap.Core.Configuration;

/// <summary>
/// <c>routing.scheduler.settings.fifo</c>: queue priority (llama-swap) plus two fairness settings
/// of our own, both off by default so an unchanged llama-swap config behaves as it did there.
/// </summary>
public sealed record SchedulerConfig
{
    /// <summary>Real model ID -> priority (default 0; higher is served first; FIFO among equals).</summary>
    public IReadOnlyDictionary<string, int> Priority { get; init; } = new Dictionary<string, int>();

    /// <summary>
    /// <c>maxWait</c>: seconds a queued request may wait for its swap before new requests for the
    /// models it has to evict stop jumping ahead of it (0 = never, as in llama-swap, where a steady
    /// stream for one model can starve another indefinitely).
    /// </summary>
    public int MaxWaitSeconds { get; init; }

    /// <summary>
    /// <c>minLoaded</c>: seconds a model stays loaded before a swap may evict it (0 = no minimum),
    /// so two clients alternating between models do not reload them on every request.
    /// </summary>
    public int MinLoadedSeconds { get; init; }

    public int PriorityOf(string modelId) => Priority.TryGetValue(modelId, out var priority) ? priority : 0;
}
