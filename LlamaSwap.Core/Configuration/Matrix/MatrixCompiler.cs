using LlamaSwap.Core.Configuration.Loading;

namespace LlamaSwap.Core.Configuration.Matrix;

/// <summary>
/// Parses every set, resolves identifiers (a var first, then a model ID) and inlines <c>+set</c>
/// references, reporting every error at its set's key path. Sets come out in solver order: a
/// referenced set is placed before the first set that references it.
/// </summary>
internal sealed class MatrixCompiler
{
    private readonly IReadOnlyDictionary<string, string?> _expressions;
    private readonly Func<string, MatrixTerm?> _resolveName;
    private readonly string _setsPath;
    private readonly DiagnosticBag _diagnostics;
    private readonly Dictionary<string, MatrixTerm?> _compiled = new(StringComparer.Ordinal);
    private readonly HashSet<string> _inProgress = new(StringComparer.Ordinal);
    private readonly List<MatrixSet> _ordered = [];

    private MatrixCompiler(
        IReadOnlyDictionary<string, string?> expressions,
        Func<string, MatrixTerm?> resolveName,
        string setsPath,
        DiagnosticBag diagnostics)
    {
        _expressions = expressions;
        _resolveName = resolveName;
        _setsPath = setsPath;
        _diagnostics = diagnostics;
    }

    /// <param name="sets">Set name -> expression (null when unreadable, already reported), in definition order.</param>
    /// <param name="resolveName">Var or model ID -> term; null when the name is neither.</param>
    public static List<MatrixSet> Compile(
        IReadOnlyList<KeyValuePair<string, string?>> sets,
        Func<string, MatrixTerm?> resolveName,
        string setsPath,
        DiagnosticBag diagnostics)
    {
        var compiler = new MatrixCompiler(
            sets.ToDictionary(s => s.Key, s => s.Value, StringComparer.Ordinal), resolveName, setsPath, diagnostics);
        foreach (var (name, _) in sets)
        {
            compiler.CompileSet(name);
        }

        return compiler._ordered;
    }

    private MatrixTerm? CompileSet(string name)
    {
        if (_compiled.TryGetValue(name, out var done))
        {
            return done;
        }

        var expression = _expressions[name];
        MatrixTerm? term = null;
        if (expression is not null)
        {
            _inProgress.Add(name);
            try
            {
                term = Resolve(MatrixParser.Parse(expression), ConfigPath.Child(_setsPath, name));
            }
            catch (MatrixSyntaxException ex)
            {
                _diagnostics.Error(ConfigPath.Child(_setsPath, name), $"invalid expression \"{expression}\": {ex.Message}");
            }

            _inProgress.Remove(name);
        }

        _compiled[name] = term;
        if (term is not null)
        {
            _ordered.Add(new MatrixSet(name, expression!, term));
        }

        return term;
    }

    /// <summary>Null when anything inside failed; each failure is reported once, so resolution goes on after one.</summary>
    private MatrixTerm? Resolve(MatrixSyntax syntax, string path)
    {
        switch (syntax)
        {
            case MatrixSyntax.Name name:
                var resolved = _resolveName(name.Text);
                if (resolved is null)
                {
                    _diagnostics.Error(path, $"unknown var or model \"{name.Text}\"");
                }

                return resolved;
            case MatrixSyntax.SetReference reference:
                if (!_expressions.ContainsKey(reference.Set))
                {
                    _diagnostics.Error(path, $"reference to undefined set \"{reference.Set}\"");
                    return null;
                }

                if (_inProgress.Contains(reference.Set))
                {
                    _diagnostics.Error(path, $"circular reference detected involving set \"{reference.Set}\"");
                    return null;
                }

                // A broken referenced set was reported at its own path.
                return CompileSet(reference.Set);
            case MatrixSyntax.AllOf all:
                var allOperands = all.Operands.Select(o => Resolve(o, path)).ToList();
                return allOperands.Any(o => o is null) ? null : new MatrixTerm.AllOf(allOperands!);
            case MatrixSyntax.AnyOf any:
                var anyOperands = any.Operands.Select(o => Resolve(o, path)).ToList();
                return anyOperands.Any(o => o is null) ? null : new MatrixTerm.AnyOf(anyOperands!);
            default:
                throw new InvalidOperationException($"unknown syntax {syntax.GetType().Name}");
        }
    }
}
