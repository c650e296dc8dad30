namespace LlamaSwap.Core.Configuration.Matrix;

/// <summary>One named set of <c>matrix.sets</c>: the models it lets run together.</summary>
public sealed class MatrixSet
{
    internal MatrixSet(string name, string expression, MatrixTerm term)
    {
        Name = name;
        Expression = expression;
        Term = term;
    }

    public string Name { get; }

    /// <summary>The DSL text as written, e.g. <c>(g | q) &amp; v</c>.</summary>
    public string Expression { get; }

    internal MatrixTerm Term { get; }

    /// <summary>
    /// Every alternative (a set of model IDs, sorted ordinally), in expansion order, duplicates
    /// dropped. This is the full cartesian expansion, meant for inspection and tests; the solver
    /// never builds it.
    /// </summary>
    public IReadOnlyList<IReadOnlyList<string>> Alternatives()
    {
        var alternatives = new List<IReadOnlyList<string>>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var alternative in Expand(Term))
        {
            var sorted = alternative.Order(StringComparer.Ordinal).ToList();
            if (seen.Add(string.Join('\n', sorted)))
            {
                alternatives.Add(sorted);
            }
        }

        return alternatives;
    }

    private static IEnumerable<HashSet<string>> Expand(MatrixTerm term) => term switch
    {
        MatrixTerm.Model model => [new HashSet<string>(StringComparer.Ordinal) { model.Id }],
        MatrixTerm.Nothing => [new HashSet<string>(StringComparer.Ordinal)],
        MatrixTerm.AnyOf any => any.Operands.SelectMany(Expand),
        MatrixTerm.AllOf all => all.Operands.Aggregate(
            (IEnumerable<HashSet<string>>)[new HashSet<string>(StringComparer.Ordinal)],
            (product, operand) => product.SelectMany(left => Expand(operand).Select(right => new HashSet<string>(left.Union(right), StringComparer.Ordinal)))),
        _ => throw new InvalidOperationException($"unknown term {term.GetType().Name}"),
    };
}
