using LlamaSwap.Core.Configuration.Yaml;

namespace LlamaSwap.Core.Configuration.Loading;

/// <summary>
/// Reads <c>selectors</c> (reference 1.10). Targets that name nothing are dropped with a warning,
/// like unknown group members, because llama-swap's own example lists targets it never defines; a
/// selector left without targets is dropped the same way.
/// </summary>
internal static class SelectorReader
{
    /// <param name="config">The config with models, aliases, router and peers already read.</param>
    public static Dictionary<string, SelectorConfig> Read(ConfigNode? node, LlamaSwapConfig config, ValueReader values)
    {
        var diagnostics = values.Diagnostics;
        var selectors = new Dictionary<string, SelectorConfig>(StringComparer.Ordinal);
        var mapping = values.Mapping(node, "selectors");
        if (mapping is null)
        {
            return selectors;
        }

        // Chaining is refused by name, so every declared ID counts, even one that fails to load.
        var selectorIds = mapping.Entries.Select(e => e.Key).ToHashSet(StringComparer.Ordinal);
        foreach (var entry in mapping.Entries)
        {
            var path = ConfigPath.Child("selectors", entry.Key);
            if (entry.Key.Trim().Length == 0)
            {
                diagnostics.Error(path, "selector ID must not be empty");
                continue;
            }

            if (NameCollision(entry.Key, config) is { } collision)
            {
                diagnostics.Error(path, $"selector {entry.Key} has the same name as {collision}");
                continue;
            }

            var selector = values.Mapping(entry.Value, path);
            if (selector is null)
            {
                diagnostics.Error(path, "a selector needs at least a strategy and targets");
                continue;
            }

            KnownKeys.WarnAboutIgnoredKeys(selector, path, KnownKeys.Selector, diagnostics);
            if (ReadSelector(entry.Key, selector, path, config, selectorIds, values) is { } selectorConfig)
            {
                selectors[entry.Key] = selectorConfig;
            }
        }

        return selectors;
    }

    /// <summary>The model or peer name a selector or pin target resolves to (model ID or peer FQN), or null.</summary>
    public static string? ResolveTarget(string name, LlamaSwapConfig config)
        => config.ResolveModelId(name) ?? config.ResolvePeer(name)?.Fqn;

    private static string? NameCollision(string id, LlamaSwapConfig config)
    {
        if (config.Models.ContainsKey(id))
        {
            return $"local model {id}";
        }

        if (config.Aliases.TryGetValue(id, out var owner))
        {
            return $"an alias of local model {owner}";
        }

        return config.Peers.Models.Any(m => m.Fqn == id) ? $"peer model {id}" : null;
    }

    private static SelectorConfig? ReadSelector(
        string id, MappingNode selector, string path, LlamaSwapConfig config, HashSet<string> selectorIds, ValueReader values)
    {
        string P(string key) => ConfigPath.Child(path, key);
        var diagnostics = values.Diagnostics;
        var errorsBefore = diagnostics.Errors.Count;

        var strategy = values.String(selector["strategy"], P("strategy"))?.Trim();
        if (string.IsNullOrEmpty(strategy))
        {
            diagnostics.Error(P("strategy"), $"strategy is required: one of {string.Join(", ", SelectorStrategies.All)}");
        }
        else if (!SelectorStrategies.All.Contains(strategy))
        {
            diagnostics.Error(P("strategy"), $"unknown strategy \"{strategy}\": expected one of {string.Join(", ", SelectorStrategies.All)}");
            strategy = null;
        }

        var spillover = ReadSpillover(selector["settings"], P("settings"), strategy, values);
        var targets = ReadTargets(id, selector, P("targets"), strategy, config, selectorIds, values);
        var name = values.String(selector["name"], P("name"));
        var description = values.String(selector["description"], P("description"));
        var unlisted = values.Bool(selector["unlisted"], P("unlisted")) ?? false;
        var metadata = JsonNodeConverter.ReadObject(selector["metadata"], P("metadata"), values);
        if (strategy is null || targets is null || diagnostics.Errors.Count > errorsBefore)
        {
            return null;
        }

        if (targets.Count == 0)
        {
            diagnostics.Warning(P("targets"), $"selector {id} has no known targets left (selector ignored)");
            return null;
        }

        if (strategy == SelectorStrategies.Spillover)
        {
            CheckCoexistence(id, targets, P("targets"), config, diagnostics);
        }

        return new SelectorConfig
        {
            Id = id,
            Strategy = strategy,
            Targets = targets,
            Spillover = spillover,
            Name = name,
            Description = description,
            Unlisted = unlisted,
            Metadata = metadata,
        };
    }

    private static int ReadSpillover(ConfigNode? node, string path, string? strategy, ValueReader values)
    {
        var settings = values.Mapping(node, path);
        if (settings is null)
        {
            return 1;
        }

        KnownKeys.WarnAboutIgnoredKeys(settings, path, KnownKeys.SelectorSettings, values.Diagnostics);
        var spilloverPath = ConfigPath.Child(path, "spillover");
        var spillover = values.Int(settings["spillover"], spilloverPath);
        if (spillover is null)
        {
            return 1;
        }

        if (strategy is not null && strategy != SelectorStrategies.Spillover)
        {
            values.Diagnostics.Error(spilloverPath, $"settings.spillover is only valid with strategy spillover, not {strategy}");
        }
        else if (spillover < 1)
        {
            values.Diagnostics.Error(spilloverPath, $"spillover must be >= 1, got {spillover}");
        }

        return spillover.Value;
    }

    /// <summary>The targets as written, unknown ones dropped; null when the list itself is unusable.</summary>
    private static List<string>? ReadTargets(
        string id, MappingNode selector, string path, string? strategy, LlamaSwapConfig config, HashSet<string> selectorIds, ValueReader values)
    {
        var diagnostics = values.Diagnostics;
        var items = values.StringList(selector["targets"], path);
        if (items is null || items.Count == 0)
        {
            if (items is not null || selector["targets"] is null or ScalarNode { IsNull: true })
            {
                diagnostics.Error(path, "targets is required and must list at least one target");
            }

            return null;
        }

        var targets = new List<string>();
        var resolvedFrom = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < items.Count; i++)
        {
            var target = items[i]?.Trim();
            var targetPath = ConfigPath.Index(path, i);
            if (string.IsNullOrEmpty(target))
            {
                diagnostics.Error(targetPath, "selector target must not be empty");
                continue;
            }

            if (selectorIds.Contains(target))
            {
                diagnostics.Error(targetPath, $"selector {id} targets selector {target}: selectors cannot target other selectors");
                continue;
            }

            var resolved = ResolveTarget(target, config);
            if (resolved is null)
            {
                diagnostics.Warning(targetPath, $"selector {id} has unknown target '{target}' (ignored)");
                continue;
            }

            if (strategy == SelectorStrategies.Warm && config.ResolveModelId(target) is null)
            {
                // Warm picks by process state, which only local models have.
                diagnostics.Error(targetPath, $"warm selector {id} target {target} is not a local model");
                continue;
            }

            if (!resolvedFrom.TryAdd(resolved, target))
            {
                diagnostics.Error(targetPath, $"selector {id} targets {resolved} twice ({resolvedFrom[resolved]}, {target})");
                continue;
            }

            targets.Add(target);
        }

        return targets;
    }

    /// <summary>
    /// Spillover runs several targets at once, so its local targets must be allowed to run together:
    /// otherwise starting the next target would evict the busy one.
    /// </summary>
    private static void CheckCoexistence(string id, List<string> targets, string path, LlamaSwapConfig config, DiagnosticBag diagnostics)
    {
        var locals = targets.Select(config.ResolveModelId).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        if (locals.Count < 2)
        {
            return;
        }

        if (config.Router == RouterNames.Matrix)
        {
            // A matrix that failed to compile was reported already; nothing to check against.
            if (config.Matrix is { } matrix
                && !matrix.Sets.Any(set => set.Alternatives().Any(alternative => locals.All(alternative.Contains))))
            {
                diagnostics.Error(path, $"spillover selector {id}: local targets {string.Join(", ", locals)} are not together in any matrix set");
            }

            return;
        }

        var groups = locals.Select(m => config.Groups.Values.FirstOrDefault(g => g.Members.Contains(m))).ToList();
        if (groups[0] is not { Swap: false } group || groups.Any(g => !ReferenceEquals(g, group)))
        {
            diagnostics.Error(path, $"spillover selector {id}: local targets {string.Join(", ", locals)} must all be in one group with swap: false");
        }
    }
}
