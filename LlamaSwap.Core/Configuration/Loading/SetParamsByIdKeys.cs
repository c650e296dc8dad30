using LlamaSwap.Core.Configuration.Macros;
using LlamaSwap.Core.Configuration.Yaml;

namespace LlamaSwap.Core.Configuration.Loading;

/// <summary>
/// The keys of <c>filters.setParamsByID</c>: the only map keys macros expand in (reference 1.6
/// step 5), because they name request IDs such as <c>${MODEL_ID}:high</c>.
/// </summary>
internal static class SetParamsByIdKeys
{
    private const string Filters = "filters";
    private const string SetParamsById = "setParamsByID";

    /// <summary>The keys as written, in order; empty when there is no such mapping.</summary>
    public static IReadOnlyList<string> Of(MappingNode model)
        => ByIdMapping(model) is { } byId ? byId.Entries.Select(e => e.Key).ToList() : [];

    /// <summary>The model with the keys' macros interpolated (as text).</summary>
    public static MappingNode Expand(MappingNode model, IReadOnlyList<Macro> macros, ExpansionBudget budget)
    {
        if (ByIdMapping(model) is not { } byId)
        {
            return model;
        }

        var entries = byId.Entries.Select(e => e with { Key = MacroSubstituter.ApplyToText(e.Key, macros, budget) }).ToList();
        var filters = (MappingNode)model[Filters]!;
        return model.With(Filters, filters.With(SetParamsById, byId with { Entries = entries }));
    }

    /// <summary>
    /// Reports keys that expanded to the same text (<paramref name="originalKeys"/> are the keys
    /// before expansion, index-aligned) and keeps only the first of each.
    /// </summary>
    public static MappingNode RemoveCollisions(string id, IReadOnlyList<string> originalKeys, MappingNode model, DiagnosticBag diagnostics)
    {
        if (ByIdMapping(model) is not { } byId || byId.Entries.Count != originalKeys.Count)
        {
            return model;
        }

        var firstIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        var kept = new List<MappingEntry>();
        for (var i = 0; i < byId.Entries.Count; i++)
        {
            var key = byId.Entries[i].Key;
            if (firstIndex.TryGetValue(key, out var first))
            {
                diagnostics.Error(
                    ConfigPath.Child(ConfigPath.Child(ConfigPath.Child("models", id), Filters), SetParamsById),
                    $"setParamsByID keys '{originalKeys[first]}' and '{originalKeys[i]}' resolve to the same value '{key}'");
                continue;
            }

            firstIndex[key] = i;
            kept.Add(byId.Entries[i]);
        }

        if (kept.Count == byId.Entries.Count)
        {
            return model;
        }

        var filters = (MappingNode)model[Filters]!;
        return model.With(Filters, filters.With(SetParamsById, byId with { Entries = kept }));
    }

    /// <summary>Placeholders left in keys, reported at the setParamsByID path like leftovers in values.</summary>
    public static IEnumerable<(string Path, string Name)> FindLeftovers(MappingNode model, string modelPath)
    {
        if (ByIdMapping(model) is not { } byId)
        {
            return [];
        }

        var path = ConfigPath.Child(ConfigPath.Child(modelPath, Filters), SetParamsById);
        return byId.Entries.SelectMany(e => LeftoverMacroFinder.Find(new ScalarNode(e.Key, ScalarKind.String, e.KeySpan), path));
    }

    private static MappingNode? ByIdMapping(MappingNode model)
        => model[Filters] is MappingNode filters && filters[SetParamsById] is MappingNode byId ? byId : null;
}
