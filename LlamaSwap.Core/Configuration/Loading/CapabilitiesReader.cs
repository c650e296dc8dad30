using LlamaSwap.Core.Configuration.Yaml;

namespace LlamaSwap.Core.Configuration.Loading;

/// <summary>Reads a model's <c>capabilities</c> (reference 1.4).</summary>
internal static class CapabilitiesReader
{
    /// <summary>Null when absent or all fields are at their defaults ("no capabilities", as llama-swap documents).</summary>
    public static ModelCapabilities? Read(ConfigNode? node, string path, ValueReader values)
    {
        var mapping = values.Mapping(node, path);
        if (mapping is null)
        {
            return null;
        }

        KnownKeys.WarnAboutIgnoredKeys(mapping, path, KnownKeys.Capabilities, values.Diagnostics);
        var contextPath = ConfigPath.Child(path, "context");
        var context = values.Int(mapping["context"], contextPath) ?? 0;
        if (context < 0)
        {
            values.Diagnostics.Error(contextPath, $"context must be >= 0, got {context}");
            context = 0;
        }

        var capabilities = new ModelCapabilities
        {
            In = ReadModalities(mapping["in"], ConfigPath.Child(path, "in"), values),
            Out = ReadModalities(mapping["out"], ConfigPath.Child(path, "out"), values),
            Tools = values.Bool(mapping["tools"], ConfigPath.Child(path, "tools")) ?? false,
            Reranker = values.Bool(mapping["reranker"], ConfigPath.Child(path, "reranker")) ?? false,
            Context = context,
        };

        return capabilities.IsEmpty ? null : capabilities;
    }

    private static List<string> ReadModalities(ConfigNode? node, string path, ValueReader values)
    {
        var modalities = new List<string>();
        var items = values.StringList(node, path) ?? [];
        for (var i = 0; i < items.Count; i++)
        {
            var modality = items[i]?.Trim() ?? string.Empty;
            if (!ModelCapabilities.Modalities.Contains(modality))
            {
                values.Diagnostics.Error(
                    ConfigPath.Index(path, i), $"unknown modality \"{modality}\", expected one of {string.Join(", ", ModelCapabilities.Modalities)}");
                continue;
            }

            modalities.Add(modality);
        }

        return modalities;
    }
}
