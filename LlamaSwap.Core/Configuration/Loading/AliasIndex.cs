namespace LlamaSwap.Core.Configuration.Loading;

/// <summary>Builds the alias -> model ID map; aliases are global, so they may clash across models.</summary>
internal static class AliasIndex
{
    public static Dictionary<string, string> Build(IReadOnlyDictionary<string, ModelConfig> models, DiagnosticBag diagnostics)
    {
        var aliases = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var model in models.Values)
        {
            for (var i = 0; i < model.Aliases.Count; i++)
            {
                var alias = model.Aliases[i];
                var modelPath = ConfigPath.Child("models", model.Id);

                // setParamsByID keys become aliases too; point at the key the user wrote.
                var path = model.Filters.SetParamsById.ContainsKey(alias)
                    ? ConfigPath.Child(ConfigPath.Child(ConfigPath.Child(modelPath, "filters"), "setParamsByID"), alias)
                    : ConfigPath.Index(ConfigPath.Child(modelPath, "aliases"), i);
                if (models.ContainsKey(alias))
                {
                    diagnostics.Error(path, $"alias {alias} in model {model.Id} is already a model ID");
                }
                else if (!aliases.TryAdd(alias, model.Id))
                {
                    diagnostics.Error(path, $"duplicate alias {alias} found in model: {model.Id}");
                }
            }
        }

        return aliases;
    }
}
