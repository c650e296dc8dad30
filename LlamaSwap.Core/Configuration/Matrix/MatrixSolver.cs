using System.Numerics;

namespace LlamaSwap.Core.Configuration.Matrix;

/// <summary>
/// The matrix solver (reference 3.8). Only the target and the running models affect a decision, so
/// each expression is projected onto them (bit 0 = target, bit i = i-th running model) and
/// duplicate projections are dropped as the family is built. A product of six ten-way choices then
/// stays a handful of masks instead of a million expanded sets. Dropping a duplicate keeps its
/// first occurrence, so "first alternative wins a tie" still holds.
/// </summary>
internal static class MatrixSolver
{
    public static MatrixSolution Solve(MatrixProgram program, string target, IEnumerable<string> running)
    {
        var others = running.Distinct(StringComparer.Ordinal).ToList();
        if (others.Contains(target, StringComparer.Ordinal))
        {
            return new MatrixSolution(null, [], 0);
        }

        var bits = new Dictionary<string, int>(StringComparer.Ordinal) { [target] = 0 };
        for (var i = 0; i < others.Count; i++)
        {
            bits[others[i]] = i + 1;
        }

        var families = new Dictionary<MatrixTerm, List<BigInteger>>(ReferenceEqualityComparer.Instance);
        string? bestSet = null;
        var bestKept = BigInteger.Zero;
        var bestCost = int.MaxValue;
        foreach (var set in program.Sets)
        {
            foreach (var alternative in Project(set.Term, bits, families))
            {
                if (alternative.IsEven)
                {
                    continue; // the target is not in it
                }

                var cost = EvictionCost(program, others, alternative);
                if (cost < bestCost)
                {
                    (bestSet, bestKept, bestCost) = (set.Name, alternative, cost);
                }
            }
        }

        // In no set: the target runs alone.
        var evict = others
            .Where((_, i) => bestSet is null || !IsSet(bestKept, i + 1))
            .Order(StringComparer.Ordinal)
            .ToList();
        return new MatrixSolution(bestSet, evict, bestSet is null ? evict.Sum(program.CostOf) : bestCost);
    }

    private static int EvictionCost(MatrixProgram program, List<string> others, BigInteger alternative)
    {
        var cost = 0;
        for (var i = 0; i < others.Count; i++)
        {
            if (!IsSet(alternative, i + 1))
            {
                cost += program.CostOf(others[i]);
            }
        }

        return cost;
    }

    private static bool IsSet(BigInteger mask, int bit) => !(mask & (BigInteger.One << bit)).IsZero;

    private static List<BigInteger> Project(MatrixTerm term, Dictionary<string, int> bits, Dictionary<MatrixTerm, List<BigInteger>> families)
    {
        // A set referenced from several places is projected once per decision.
        if (families.TryGetValue(term, out var cached))
        {
            return cached;
        }

        List<BigInteger> family;
        switch (term)
        {
            case MatrixTerm.Model model:
                family = [bits.TryGetValue(model.Id, out var bit) ? BigInteger.One << bit : BigInteger.Zero];
                break;
            case MatrixTerm.Nothing:
                family = [BigInteger.Zero];
                break;
            case MatrixTerm.AnyOf any:
                family = Distinct(any.Operands.SelectMany(o => Project(o, bits, families)));
                break;
            case MatrixTerm.AllOf all:
                family = [BigInteger.Zero];
                foreach (var operand in all.Operands)
                {
                    var right = Project(operand, bits, families);
                    family = Distinct(family.SelectMany(l => right.Select(r => l | r)));
                }

                break;
            default:
                throw new InvalidOperationException($"unknown term {term.GetType().Name}");
        }

        families[term] = family;
        return family;
    }

    private static List<BigInteger> Distinct(IEnumerable<BigInteger> masks)
    {
        var seen = new HashSet<BigInteger>();
        return masks.Where(seen.Add).ToList();
    }
}
