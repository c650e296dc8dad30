namespace LlamaSwap.Core.Configuration.Matrix;

/// <summary>What the matrix solver decided for one request (reference 3.8).</summary>
/// <param name="Set">The chosen set, or null when the target is already running or is in no set.</param>
/// <param name="Evict">Running models to stop, in ordinal order.</param>
/// <param name="Cost">Sum of the evicted models' <c>evict_costs</c>.</param>
public sealed record MatrixSolution(string? Set, IReadOnlyList<string> Evict, int Cost);
