using System.Text.RegularExpressions;
using LlamaSwap.Core.Configuration.Matrix;
using LlamaSwap.Core.Configuration.Yaml;

namespace LlamaSwap.Core.Configuration.Loading;

/// <summary>Reads and validates a <c>matrix</c> router config (reference 1.7) into a <see cref="MatrixProgram"/>.</summary>
internal static partial class MatrixReader
{
    /// <returns>The program, or null when the section is unusable (errors reported).</returns>
    public static MatrixProgram? Read(ConfigNode? node, string path, IReadOnlyCollection<string> modelIds, LlamaSwapConfig config, ValueReader values)
    {
        var matrix = values.Mapping(node, path);
        if (matrix is null)
        {
            return null;
        }

        KnownKeys.WarnAboutIgnoredKeys(matrix, path, KnownKeys.Matrix, values.Diagnostics);
        var known = modelIds.ToHashSet(StringComparer.Ordinal);
        var (vars, droppedVars) = ReadVars(matrix["vars"], ConfigPath.Child(path, "vars"), known, config, values);
        var costs = ReadEvictCosts(matrix["evict_costs"], ConfigPath.Child(path, "evict_costs"), vars, droppedVars, known, values);

        MatrixTerm? ResolveName(string name)
        {
            if (vars.TryGetValue(name, out var id))
            {
                return new MatrixTerm.Model(id);
            }

            if (droppedVars.Contains(name))
            {
                return MatrixTerm.Nothing.Instance;
            }

            return known.Contains(name) ? new MatrixTerm.Model(name) : null;
        }

        var setsPath = ConfigPath.Child(path, "sets");
        var sets = new List<KeyValuePair<string, string?>>();
        foreach (var entry in values.Mapping(matrix["sets"], setsPath)?.Entries ?? [])
        {
            var setPath = ConfigPath.Child(setsPath, entry.Key);
            var expression = values.String(entry.Value, setPath);
            if (expression is null && entry.Value is ScalarNode { IsNull: true })
            {
                values.Diagnostics.Error(setPath, "invalid expression \"\": empty expression");
            }

            sets.Add(new(entry.Key, expression));
        }

        if (sets.Count == 0)
        {
            values.Diagnostics.Error(setsPath, "at least one set is required");
            return null;
        }

        var compiled = MatrixCompiler.Compile(sets, ResolveName, setsPath, values.Diagnostics);
        return new MatrixProgram(compiled, vars, costs);
    }

    private static (Dictionary<string, string> Vars, HashSet<string> Dropped) ReadVars(
        ConfigNode? node, string path, HashSet<string> known, LlamaSwapConfig config, ValueReader values)
    {
        var vars = new Dictionary<string, string>(StringComparer.Ordinal);
        var dropped = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in values.Mapping(node, path)?.Entries ?? [])
        {
            var varPath = ConfigPath.Child(path, entry.Key);
            if (!VarName().IsMatch(entry.Key))
            {
                values.Diagnostics.Error(varPath, $"invalid var name \"{entry.Key}\": must match {VarName()}");
                continue;
            }

            var model = values.String(entry.Value, varPath)?.Trim();
            if (model is null)
            {
                continue;
            }

            if (config.Aliases.TryGetValue(model, out var real))
            {
                values.Diagnostics.Error(varPath, $"\"{model}\" is an alias of {real}; vars must name a real model ID");
            }
            else if (!known.Contains(model))
            {
                // llama-swap refuses this; like unknown group members, it is dropped with a warning
                // (the var then stands for no model wherever a set uses it).
                values.Diagnostics.Warning(varPath, $"unknown model '{model}' (ignored)");
                dropped.Add(entry.Key);
            }
            else
            {
                vars[entry.Key] = model;
            }
        }

        return (vars, dropped);
    }

    private static Dictionary<string, int> ReadEvictCosts(
        ConfigNode? node, string path, Dictionary<string, string> vars, HashSet<string> droppedVars, HashSet<string> known, ValueReader values)
    {
        var costs = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var entry in values.Mapping(node, path)?.Entries ?? [])
        {
            var costPath = ConfigPath.Child(path, entry.Key);
            var cost = values.Int(entry.Value, costPath);
            if (cost is <= 0)
            {
                values.Diagnostics.Error(costPath, $"evict cost must be a positive integer, got {cost}");
                continue;
            }

            var model = vars.TryGetValue(entry.Key, out var id) ? id : known.Contains(entry.Key) ? entry.Key : null;
            if (model is null && !droppedVars.Contains(entry.Key))
            {
                values.Diagnostics.Error(costPath, $"unknown var or model \"{entry.Key}\"");
            }
            else if (model is not null && cost is { } value)
            {
                costs[model] = value;
            }
        }

        return costs;
    }

    [GeneratedRegex("^[a-zA-Z0-9.-]{1,32}$")]
    private static partial Regex VarName();
}
