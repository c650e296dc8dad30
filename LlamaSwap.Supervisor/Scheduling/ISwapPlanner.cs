using LlamaSwap.Core.Configuration;

namespace LlamaSwap.Supervisor.Scheduling;

/// <summary>
/// Decides which running models must stop for a target to run (reference 3.5: llama-swap's
/// <c>Swapper</c>). <see cref="EvictionFor"/> is pure: the scheduler calls it to test as well as to act.
/// </summary>
internal interface ISwapPlanner
{
    HashSet<string> EvictionFor(ModelRuntime target, IEnumerable<ModelRuntime> running);

    /// <summary>Called once per swap actually started, so the planner can log its reasoning.</summary>
    void OnSwapStart(ModelRuntime target, IEnumerable<ModelRuntime> running);

    /// <summary>The planner for the config's router.</summary>
    static ISwapPlanner For(LlamaSwapConfig config, ILogger logger)
        => config.Matrix is { } matrix ? new MatrixSwapPlanner(matrix, logger) : GroupSwapPlanner.Instance;
}
