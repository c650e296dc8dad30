using LlamaSwap.Core.Configuration.Yaml;

namespace LlamaSwap.Core.Configuration.Loading;

/// <summary>Reads <c>hooks.on_startup.preload</c> and resolves it to real model IDs (reference 1.11).</summary>
internal static class PreloadReader
{
    public static List<string> Read(ConfigNode? hooksNode, LlamaSwapConfig config, ValueReader values)
    {
        var preload = new List<string>();
        var hooks = values.Mapping(hooksNode, "hooks");
        if (hooks is null)
        {
            return preload;
        }

        KnownKeys.WarnAboutIgnoredKeys(hooks, "hooks", KnownKeys.Hooks, values.Diagnostics);
        var onStartup = values.Mapping(hooks["on_startup"], "hooks.on_startup");
        if (onStartup is null)
        {
            return preload;
        }

        KnownKeys.WarnAboutIgnoredKeys(onStartup, "hooks.on_startup", KnownKeys.OnStartup, values.Diagnostics);
        var items = values.StringList(onStartup["preload"], "hooks.on_startup.preload") ?? [];
        for (var i = 0; i < items.Count; i++)
        {
            var name = items[i]?.Trim();
            if (string.IsNullOrEmpty(name))
            {
                continue;
            }

            var id = config.ResolveModelId(name);
            if (id is null)
            {
                // llama-swap drops these silently; a warning costs nothing and explains a cold start.
                values.Diagnostics.Warning(ConfigPath.Index("hooks.on_startup.preload", i), $"unknown model '{name}' (ignored)");
            }
            else if (!preload.Contains(id))
            {
                preload.Add(id);
            }
        }

        return preload;
    }
}
