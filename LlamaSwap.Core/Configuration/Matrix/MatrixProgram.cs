namespace LlamaSwap.Core.Configuration.Matrix;

/// <summary>
/// A validated <c>matrix</c> router config: its sets in solver order (definition order, with a set
/// referenced through <c>+name</c> placed before the sets that reference it) and the eviction costs.
/// </summary>
public sealed class MatrixProgram
{
    internal MatrixProgram(
        IReadOnlyList<MatrixSet> sets,
        IReadOnlyDictionary<string, string> vars,
        IReadOnlyDictionary<string, int> evictCosts)
    {
        Sets = sets;
        Vars = vars;
        EvictCosts = evictCosts;
    }

    /// <summary>Sets in solver order; on equal cost the first one wins.</summary>
    public IReadOnlyList<MatrixSet> Sets { get; }

    /// <summary>Var -> real model ID (vars naming undefined models are dropped).</summary>
    public IReadOnlyDictionary<string, string> Vars { get; }

    /// <summary>Model ID -> cost of evicting it (vars resolved); models not listed cost 1.</summary>
    public IReadOnlyDictionary<string, int> EvictCosts { get; }

    public int CostOf(string modelId) => EvictCosts.TryGetValue(modelId, out var cost) ? cost : 1;

    /// <summary>
    /// Which running models must stop for <paramref name="target"/> to run: those outside the
    /// cheapest alternative containing it. Pure; see <see cref="MatrixSolver"/>.
    /// </summary>
    public MatrixSolution Solve(string target, IEnumerable<string> running) => MatrixSolver.Solve(this, target, running);
}
