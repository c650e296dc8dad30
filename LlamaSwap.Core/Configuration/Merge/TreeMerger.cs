using LlamaSwap.Core.Configuration.Loading;
using LlamaSwap.Core.Configuration.Yaml;

namespace LlamaSwap.Core.Configuration.Merge;

/// <summary>
/// Merges parsed config documents by llama-swap's rules (reference 1.2): mappings recurse, lists
/// concatenate, equal scalars agree, null yields, anything else conflicts; in identity maps (a model,
/// a group, a peer, ...) a key may be defined by one file only.
/// </summary>
internal sealed class TreeMerger(DiagnosticBag diagnostics)
{
    private static readonly HashSet<string> IdentityMaps = new(StringComparer.Ordinal)
    {
        "models", "groups", "profiles", "selectors", "peers", "matrix",
        "routing.router.settings.groups", "routing.router.settings.matrix",
    };

    /// <summary>The merge of <paramref name="previous"/> (null for the first file) and <paramref name="next"/> from <paramref name="file"/>.</summary>
    public ConfigNode? Merge(ConfigNode? previous, ConfigNode? next, string file) => Merge(previous, next, string.Empty, file);

    private ConfigNode? Merge(ConfigNode? previous, ConfigNode? next, string path, string file)
    {
        if (IsNull(next))
        {
            return previous ?? next;
        }

        if (IsNull(previous))
        {
            return next;
        }

        switch (previous, next)
        {
            case (MappingNode before, MappingNode after):
                return MergeMappings(before, after, path, file);

            case (SequenceNode before, SequenceNode after):
                return before with { Items = [.. before.Items, .. after.Items] };

            case (ScalarNode before, ScalarNode after) when before.Text == after.Text:
                return before;

            default:
                diagnostics.Error(path, $"conflict at \"{path}\": {file} sets a different value than a previous source");
                return previous;
        }
    }

    private MappingNode MergeMappings(MappingNode before, MappingNode after, string path, string file)
    {
        var entries = before.Entries.ToList();
        var indexes = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = entries.Count - 1; i >= 0; i--)
        {
            indexes[entries[i].Key] = i;
        }

        var identity = IdentityMaps.Contains(path);
        foreach (var entry in after.Entries)
        {
            if (!indexes.TryGetValue(entry.Key, out var index))
            {
                indexes[entry.Key] = entries.Count;
                entries.Add(entry);
            }
            else if (identity)
            {
                var kind = path[(path.LastIndexOf('.') + 1)..];
                diagnostics.Error(ConfigPath.Child(path, entry.Key), $"duplicate {kind} \"{entry.Key}\" found in {file}");
            }
            else
            {
                var merged = Merge(entries[index].Value, entry.Value, ConfigPath.Child(path, entry.Key), file);
                entries[index] = entries[index] with { Value = merged! };
            }
        }

        return before with { Entries = entries };
    }

    private static bool IsNull(ConfigNode? node) => node is null or ScalarNode { IsNull: true };
}
