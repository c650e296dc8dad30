namespace LlamaSwap.Supervisor.Scheduling;

/// <summary>A granted serving slot: the model cannot be evicted while any lease on it is open.</summary>
internal sealed record Lease(string Id, string ModelId, string RequestId, string? Gateway);
