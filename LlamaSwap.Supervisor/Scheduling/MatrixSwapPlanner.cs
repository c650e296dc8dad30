using LlamaSwap.Core.Configuration.Matrix;

namespace LlamaSwap.Supervisor.Scheduling;

/// <summary>The matrix router (reference 3.8): evict what lies outside the cheapest set allowing the target.</summary>
internal sealed partial class MatrixSwapPlanner(MatrixProgram program, ILogger logger) : ISwapPlanner
{
    public HashSet<string> EvictionFor(ModelRuntime target, IEnumerable<ModelRuntime> running)
        => program.Solve(target.Id, running.Select(m => m.Id)).Evict.ToHashSet(StringComparer.Ordinal);

    public void OnSwapStart(ModelRuntime target, IEnumerable<ModelRuntime> running)
    {
        var solution = program.Solve(target.Id, running.Select(m => m.Id));
        Log.MatrixSwap(logger, target.Id, solution.Set ?? "(none)", string.Join(", ", solution.Evict), solution.Cost);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1160, Level = LogLevel.Information, Message = "matrix: model={Model} set={Set} evict=[{Evict}] cost={Cost}")]
        public static partial void MatrixSwap(ILogger logger, string model, string set, string evict, int cost);
    }
}
