using LlamaSwap.Core.Configuration.Yaml;

namespace LlamaSwap.Core.Configuration.Loading;

/// <summary>
/// Typed access to tree values. Each method returns null when the value is absent or YAML null
/// (the caller applies its default) and records a type error with the key path otherwise.
/// </summary>
internal sealed class ValueReader(DiagnosticBag diagnostics)
{
    public DiagnosticBag Diagnostics => diagnostics;

    public int? Int(ConfigNode? node, string path)
    {
        if (IsAbsent(node))
        {
            return null;
        }

        // Strings holding an integer are accepted because interpolated macros always yield strings.
        if (node is ScalarNode { Kind: ScalarKind.Int or ScalarKind.String } scalar
            && ScalarResolver.TryParseInt(scalar.Text.Trim(), out var value)
            && value is >= int.MinValue and <= int.MaxValue)
        {
            return (int)value;
        }

        diagnostics.Error(path, $"expected an integer, got {node!.Describe()}");
        return null;
    }

    public bool? Bool(ConfigNode? node, string path)
    {
        if (IsAbsent(node))
        {
            return null;
        }

        if (node is ScalarNode { Kind: ScalarKind.Bool or ScalarKind.String } scalar
            && bool.TryParse(scalar.Text.Trim(), out var value))
        {
            return value;
        }

        diagnostics.Error(path, $"expected true or false, got {node!.Describe()}");
        return null;
    }

    public string? String(ConfigNode? node, string path)
    {
        if (IsAbsent(node))
        {
            return null;
        }

        if (node is ScalarNode scalar)
        {
            return scalar.Text;
        }

        diagnostics.Error(path, $"expected a string, got {node!.Describe()}");
        return null;
    }

    /// <summary>A list of strings; a null item is returned as null so the caller can report it with its index.</summary>
    public List<string?>? StringList(ConfigNode? node, string path)
    {
        if (IsAbsent(node))
        {
            return null;
        }

        if (node is not SequenceNode sequence)
        {
            diagnostics.Error(path, $"expected a list of strings, got {node!.Describe()}");
            return null;
        }

        var items = new List<string?>();
        for (var i = 0; i < sequence.Items.Count; i++)
        {
            var item = sequence.Items[i];
            if (item is ScalarNode { IsNull: true })
            {
                items.Add(null);
            }
            else
            {
                items.Add(String(item, ConfigPath.Index(path, i)) ?? string.Empty);
            }
        }

        return items;
    }

    public MappingNode? Mapping(ConfigNode? node, string path)
    {
        if (IsAbsent(node))
        {
            return null;
        }

        if (node is MappingNode mapping)
        {
            return mapping;
        }

        diagnostics.Error(path, $"expected a mapping, got {node!.Describe()}");
        return null;
    }

    private static bool IsAbsent(ConfigNode? node) => node is null or ScalarNode { IsNull: true };
}
