using LlamaSwap.Core.Configuration.Yaml;

namespace LlamaSwap.Core.Configuration.Loading;

/// <summary>
/// Reads <c>profiles</c> (reference 1.9). As with selectors, a pin whose target names nothing is
/// dropped with a warning (llama-swap's example pins an undefined model), and so is a profile left
/// without pins.
/// </summary>
internal static class ProfileReader
{
    /// <param name="config">The config with models, aliases, peers and selectors already read.</param>
    public static Dictionary<string, ProfileConfig> Read(ConfigNode? node, LlamaSwapConfig config, ValueReader values)
    {
        var diagnostics = values.Diagnostics;
        var profiles = new Dictionary<string, ProfileConfig>(StringComparer.Ordinal);
        var mapping = values.Mapping(node, "profiles");
        if (mapping is null)
        {
            return profiles;
        }

        foreach (var entry in mapping.Entries)
        {
            var path = ConfigPath.Child("profiles", entry.Key);
            if (entry.Key.Trim().Length == 0)
            {
                diagnostics.Error(path, "profile name must not be empty");
                continue;
            }

            if (entry.Value is SequenceNode)
            {
                diagnostics.Error(
                    path,
                    "profiles no longer take a list of models; pin names to targets instead, e.g. " +
                    $"profiles: {{ {entry.Key}: {{ pins: {{ <name clients request>: <model, alias, peer model or selector> }} }} }}");
                continue;
            }

            var profile = values.Mapping(entry.Value, path);
            if (profile is null)
            {
                diagnostics.Error(path, "a profile needs at least one pin");
                continue;
            }

            KnownKeys.WarnAboutIgnoredKeys(profile, path, KnownKeys.Profile, diagnostics);
            if (ReadProfile(entry.Key, profile, path, config, values) is { } profileConfig)
            {
                profiles[entry.Key] = profileConfig;
            }
        }

        return profiles;
    }

    private static ProfileConfig? ReadProfile(string id, MappingNode profile, string path, LlamaSwapConfig config, ValueReader values)
    {
        var diagnostics = values.Diagnostics;
        var description = values.String(profile["description"], ConfigPath.Child(path, "description"));
        var pinsPath = ConfigPath.Child(path, "pins");
        var pinsNode = values.Mapping(profile["pins"], pinsPath);
        if (pinsNode is null || pinsNode.Entries.Count == 0)
        {
            if (profile["pins"] is null or ScalarNode { IsNull: true } || pinsNode is not null)
            {
                diagnostics.Error(pinsPath, $"profile {id} needs at least one pin");
            }

            return null;
        }

        var errorsBefore = diagnostics.Errors.Count;
        var pins = new SortedDictionary<string, string?>(StringComparer.Ordinal);
        foreach (var pin in pinsNode.Entries)
        {
            var pinPath = ConfigPath.Child(pinsPath, pin.Key);
            var name = pin.Key.Trim();
            if (name.Length == 0)
            {
                diagnostics.Error(pinPath, "pin name must not be empty");
                continue;
            }

            if (config.Peers.Models.Any(m => m.Fqn == name))
            {
                // An FQN always means that peer model; a pin must not quietly redirect it.
                diagnostics.Error(pinPath, $"pin {name} has the same name as peer model {name}");
                continue;
            }

            var target = values.String(pin.Value, pinPath)?.Trim();
            if (string.IsNullOrEmpty(target))
            {
                pins[name] = null;
            }
            else if (config.Selectors.ContainsKey(target) || SelectorReader.ResolveTarget(target, config) is not null)
            {
                pins[name] = target;
            }
            else
            {
                diagnostics.Warning(pinPath, $"profile {id} pins {name} to unknown target '{target}' (ignored)");
            }
        }

        if (diagnostics.Errors.Count > errorsBefore)
        {
            return null;
        }

        if (pins.Count == 0)
        {
            diagnostics.Warning(pinsPath, $"profile {id} has no known pins left (profile ignored)");
            return null;
        }

        return new ProfileConfig { Id = id, Description = description, Pins = pins };
    }
}
