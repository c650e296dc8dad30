using LlamaSwap.Core.Configuration.Yaml;

namespace LlamaSwap.Core.Configuration.Loading;

/// <summary>A model's <c>compat</c> settings (reference 1.4, 3.11).</summary>
internal static class CompatReader
{
    /// <summary>Whether websocket upgrades for the model bypass the scheduler (<c>compat.ignoreWebsockets</c>).</summary>
    public static bool ReadIgnoreWebsockets(string modelId, ConfigNode? node, string path, ValueReader values)
    {
        var compat = values.Mapping(node, path);
        var ignore = false;
        if (compat is not null)
        {
            KnownKeys.WarnAboutIgnoredKeys(compat, path, KnownKeys.Compat, values.Diagnostics);
            ignore = values.Bool(compat["ignoreWebsockets"], ConfigPath.Child(path, "ignoreWebsockets")) ?? false;
        }

        // ComfyUI's UI keeps a websocket open; it must never start or pin the model.
        return ignore || modelId == ModelConfig.ComfyUiModelId;
    }
}
