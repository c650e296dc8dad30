using System.Diagnostics;
using LlamaSwap.Core.Configuration;
using LlamaSwap.Core.Configuration.Matrix;

namespace LlamaSwap.Tests.Supervisor.Scheduling;

/// <summary>The matrix solver's decisions (reference 3.8; llama-swap's "Matrix:" router tests).</summary>
public sealed class MatrixSolverTests
{
    private static MatrixProgram Program(string matrix, params string[] models)
    {
        var yaml = "models:\n" + string.Concat(models.Select(m => $"  {m}: {{ cmd: \"svr ${{PORT}}\" }}\n")) + matrix;
        var result = ConfigLoader.LoadYaml(yaml, new Dictionary<string, string>());
        Assert.True(result.Succeeded, string.Join('\n', result.Errors));
        return result.Config!.Matrix!;
    }

    [Fact]
    public void Solve_TargetSharesNoSetWithRunningModels_EvictsThem()
    {
        var program = Program("matrix:\n  sets: { ab: \"a & b\", solo: c }\n", "a", "b", "c");

        var solution = program.Solve("c", ["a", "b"]);

        Assert.Equal("solo", solution.Set);
        Assert.Equal(["a", "b"], solution.Evict);
        Assert.Equal(2, solution.Cost);
    }

    [Fact]
    public void Solve_TargetCoexistsWithRunningModel_EvictsNothing()
    {
        var program = Program("matrix:\n  sets: { ab: \"a & b\", solo: c }\n", "a", "b", "c");

        var solution = program.Solve("b", ["a"]);

        Assert.Equal("ab", solution.Set);
        Assert.Empty(solution.Evict);
        Assert.Equal(0, solution.Cost);
    }

    [Fact]
    public void Solve_TargetAlreadyRunning_EvictsNothingEvenOutsideAnySet()
    {
        var program = Program("matrix:\n  sets: { ab: \"a & b\" }\n", "a", "b", "c");

        var solution = program.Solve("c", ["a", "c"]);

        Assert.Empty(solution.Evict);
    }

    [Theory]
    [InlineData("{ first: \"a & b\", second: \"a & c\" }", "first", "c")]
    [InlineData("{ second: \"a & c\", first: \"a & b\" }", "second", "b")]
    public void Solve_EqualCost_FirstDefinedSetWins(string sets, string chosen, string evicted)
    {
        var program = Program($"matrix:\n  sets: {sets}\n", "a", "b", "c");

        var solution = program.Solve("a", ["b", "c"]);

        Assert.Equal(chosen, solution.Set);
        Assert.Equal([evicted], solution.Evict);
    }

    [Fact]
    public void Solve_EqualCost_ReferencedSetComesBeforeTheSetReferencingIt()
    {
        // "late" is defined last but "wide" references it, so it is considered first.
        var program = Program("matrix:\n  sets: { wide: \"+late | (a & c)\", late: \"a & b\" }\n", "a", "b", "c");

        var solution = program.Solve("a", ["b", "c"]);

        Assert.Equal("late", solution.Set);
        Assert.Equal(["c"], solution.Evict);
    }

    [Fact]
    public void Solve_EqualCostWithinASet_FirstAlternativeWins()
    {
        var program = Program("matrix:\n  sets: { s: \"(a & c) | (a & b)\" }\n", "a", "b", "c");

        Assert.Equal(["b"], program.Solve("a", ["b", "c"]).Evict);
    }

    [Fact]
    public void Solve_KeepsTheModelThatIsCostlierToEvict()
    {
        var program = Program(
            "matrix:\n  vars: { slow: c }\n  evict_costs: { slow: 5 }\n  sets: { first: \"a & b\", second: \"a & slow\" }\n",
            "a", "b", "c");

        var solution = program.Solve("a", ["b", "c"]);

        Assert.Equal("second", solution.Set);
        Assert.Equal(["b"], solution.Evict);
        Assert.Equal(1, solution.Cost);
    }

    [Fact]
    public void Solve_TargetInNoSet_RunsAlone()
    {
        var program = Program("matrix:\n  evict_costs: { b: 3 }\n  sets: { ab: \"a & b\" }\n", "a", "b", "loner");

        var solution = program.Solve("loner", ["b", "a"]);

        Assert.Null(solution.Set);
        Assert.Equal(["a", "b"], solution.Evict);
        Assert.Equal(4, solution.Cost);
    }

    [Fact]
    public void Solve_SixByTenProduct_IsSolvedWithoutExpandingAMillionSets()
    {
        var models = Enumerable.Range(0, 60).Select(i => $"m{i}").ToArray();
        var factors = Enumerable.Range(0, 6).Select(f => "(" + string.Join(" | ", models.Skip(f * 10).Take(10)) + ")");
        var program = Program($"matrix:\n  sets:\n    big: \"{string.Join(" & ", factors)}\"\n", models);

        var stopwatch = Stopwatch.StartNew();
        MatrixSolution solution = null!;
        for (var i = 0; i < 100; i++)
        {
            solution = program.Solve("m1", ["m0", "m15", "m27", "m33", "m48", "m59"]);
        }

        // Expanding 10^6 alternatives even once takes seconds; a hundred projected solves take milliseconds.
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(2), $"100 solves took {stopwatch.Elapsed}");
        Assert.Equal("big", solution.Set);
        Assert.Equal(["m0"], solution.Evict);
    }

    [Fact]
    public void Solve_MoreThanSixtyFourRelevantModels_IsStillExact()
    {
        var models = Enumerable.Range(0, 70).Select(i => $"m{i:00}").Append("extra").ToArray();
        var program = Program($"matrix:\n  sets:\n    all: \"{string.Join(" & ", models.Take(70))}\"\n", models);

        var solution = program.Solve("m69", [.. models.Take(69), "extra"]);

        Assert.Equal(["extra"], solution.Evict);
    }
}
