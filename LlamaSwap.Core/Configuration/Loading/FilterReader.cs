using System.Text.Json.Nodes;
using LlamaSwap.Core.Configuration.Yaml;

namespace LlamaSwap.Core.Configuration.Loading;

/// <summary>Reads a model's <c>filters</c> (reference 1.4, 2.1.2); setParamsByID keys arrive macro-expanded.</summary>
internal static class FilterReader
{
    private const string ProtectedKey = "model";
    private const string LegacyStripParams = "strip_params";

    public static ModelFilters Read(ConfigNode? node, string path, ValueReader values)
    {
        var filters = values.Mapping(node, path);
        if (filters is null)
        {
            return ModelFilters.None;
        }

        KnownKeys.WarnAboutIgnoredKeys(filters, path, KnownKeys.Filters, values.Diagnostics);
        return new ModelFilters
        {
            StripParams = ReadStripParams(filters, path, values),
            SetParams = ReadParams(filters["setParams"], ConfigPath.Child(path, "setParams"), values),
            SetParamsById = ReadSetParamsById(filters["setParamsByID"], ConfigPath.Child(path, "setParamsByID"), values),
        };
    }

    /// <summary>
    /// <paramref name="aliases"/> plus every setParamsByID key other than the model's own ID, so a
    /// request for <c>model:high</c> routes to the model (keys appended in ordinal order).
    /// </summary>
    public static List<string> WithSetParamsByIdAliases(List<string> aliases, string id, ModelFilters filters)
    {
        foreach (var key in filters.SetParamsById.Keys.Order(StringComparer.Ordinal))
        {
            if (key != id && !aliases.Contains(key))
            {
                aliases.Add(key);
            }
        }

        return aliases;
    }

    private static List<string> ReadStripParams(MappingNode filters, string path, ValueReader values)
    {
        var key = filters.ContainsKey("stripParams") ? "stripParams" : LegacyStripParams;
        if (key != LegacyStripParams && filters.ContainsKey(LegacyStripParams))
        {
            values.Diagnostics.Warning(ConfigPath.Child(path, LegacyStripParams), "ignored because stripParams is also set");
        }

        var text = values.String(filters[key], ConfigPath.Child(path, key)) ?? string.Empty;
        return text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Where(p => !IsProtected(p))
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    private static Dictionary<string, JsonObject> ReadSetParamsById(ConfigNode? node, string path, ValueReader values)
    {
        var byId = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        var mapping = values.Mapping(node, path);
        if (mapping is null)
        {
            return byId;
        }

        foreach (var entry in mapping.Entries)
        {
            var entryPath = ConfigPath.Child(path, entry.Key);
            if (entry.Key.Trim().Length == 0)
            {
                values.Diagnostics.Error(entryPath, "setParamsByID key must not be empty");
                continue;
            }

            // Collisions after macro expansion were reported and removed by the expander.
            if (ReadParams(entry.Value, entryPath, values) is { } parameters)
            {
                byId.TryAdd(entry.Key, parameters);
            }
        }

        return byId;
    }

    private static JsonObject? ReadParams(ConfigNode? node, string path, ValueReader values)
    {
        var mapping = values.Mapping(node, path);
        if (mapping is null)
        {
            return null;
        }

        var parameters = new JsonObject();
        foreach (var entry in mapping.Entries)
        {
            // The model name is the gateway's routing decision (and useModelName's job), not a parameter.
            if (IsProtected(entry.Key))
            {
                values.Diagnostics.Warning(ConfigPath.Child(path, entry.Key), "model cannot be set by a filter (ignored)");
                continue;
            }

            parameters[entry.Key] = JsonNodeConverter.ToNode(entry.Value);
        }

        return parameters;
    }

    private static bool IsProtected(string key) => key == ProtectedKey || key.StartsWith(ProtectedKey + ".", StringComparison.Ordinal);
}
