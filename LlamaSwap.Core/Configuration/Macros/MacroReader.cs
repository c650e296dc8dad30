using System.Text.RegularExpressions;
using LlamaSwap.Core.Configuration.Loading;
using LlamaSwap.Core.Configuration.Yaml;

namespace LlamaSwap.Core.Configuration.Macros;

/// <summary>Reads and validates a <c>macros:</c> block (global or model-local) in declaration order.</summary>
internal static partial class MacroReader
{
    private const int MaxNameLength = 63;

    /// <summary>Names the loader itself provides: PORT and MODEL_ID per model, PID when cmdStop runs.</summary>
    public static readonly IReadOnlySet<string> ReservedNames = new HashSet<string>(StringComparer.Ordinal) { "PID", "PORT", "MODEL_ID" };

    public static List<Macro> Read(ConfigNode? node, string path, DiagnosticBag diagnostics)
    {
        var macros = new List<Macro>();
        switch (node)
        {
            case null or ScalarNode { IsNull: true }:
                return macros;
            case not MappingNode:
                diagnostics.Error(path, $"expected a mapping of macro names to values, got {node.Describe()}");
                return macros;
        }

        foreach (var entry in ((MappingNode)node).Entries)
        {
            var macroPath = ConfigPath.Child(path, entry.Key);
            var error = Validate(entry.Key, entry.Value);
            if (error is not null)
            {
                diagnostics.Error(macroPath, error);
                continue;
            }

            macros.Add(Macro.FromScalar(entry.Key, (ScalarNode)entry.Value));
        }

        return macros;
    }

    private static string? Validate(string name, ConfigNode value)
    {
        if (name.Length > MaxNameLength)
        {
            return $"macro name '{name}' exceeds maximum length of {MaxNameLength} characters";
        }

        if (!NamePattern().IsMatch(name))
        {
            return $"macro name '{name}' contains invalid characters, must match ^[a-zA-Z0-9_-]+$";
        }

        if (ReservedNames.Contains(name))
        {
            return $"macro name '{name}' is reserved";
        }

        if (value is not ScalarNode scalar || scalar.IsNull)
        {
            return $"macro '{name}' value must be a string, number or boolean, got {value.Describe()}";
        }

        if (scalar.Kind == ScalarKind.String && scalar.Text.Contains($"${{{name}}}", StringComparison.Ordinal))
        {
            return $"macro '{name}' contains a reference to itself";
        }

        return null;
    }

    [GeneratedRegex("^[a-zA-Z0-9_-]+$")]
    private static partial Regex NamePattern();
}
