using System.Text.Json.Nodes;
using LlamaSwap.Core.Configuration;
using LlamaSwap.Core.Contracts;

namespace LlamaSwap.Gateway.Models;

/// <summary>The <c>/v1/models</c> records of selectors and of the active profile's pins (reference 2.2).</summary>
internal static class VirtualModelListing
{
    public static void Add(
        List<ModelListEntry> entries,
        LlamaSwapConfig config,
        IReadOnlyDictionary<string, ModelStateRecord>? states,
        ProfileConfig? activeProfile,
        long created)
    {
        foreach (var selector in config.Selectors.Values.Where(s => !s.Unlisted))
        {
            entries.Add(new ModelListEntry
            {
                Id = selector.Id,
                Created = created,
                Name = Trimmed(selector.Name),
                Description = Trimmed(selector.Description),
                Status = new ModelStatus(IsWarm(config, selector, states) ? "loaded" : "unloaded"),
                Meta = new JsonObject { ["llamaswap"] = SelectorMeta(selector) },
            });
        }

        if (activeProfile is null)
        {
            return;
        }

        var listed = entries.Select(e => e.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var (pin, target) in activeProfile.Pins)
        {
            // A pin named like a model, alias, peer model or selector changes where it goes, not what exists.
            if (target is null || listed.Contains(pin) || config.ResolveModelId(pin) is not null
                || config.ResolvePeer(pin) is not null || config.Selectors.ContainsKey(pin))
            {
                continue;
            }

            entries.Add(new ModelListEntry
            {
                Id = pin,
                Created = created,
                Status = new ModelStatus("unloaded"),
                Meta = new JsonObject { ["llamaswap"] = new JsonObject { ["type"] = "profile" } },
            });
        }
    }

    /// <summary>Whether a local target is ready or starting; for pin only the first target counts.</summary>
    private static bool IsWarm(LlamaSwapConfig config, SelectorConfig selector, IReadOnlyDictionary<string, ModelStateRecord>? states)
    {
        var considered = selector.Strategy == SelectorStrategies.Pin ? selector.Targets.Take(1) : selector.Targets;
        return states is not null && considered.Any(target =>
            config.ResolveModelId(target) is { } id && states.TryGetValue(id, out var record)
            && record.State is ModelStates.Ready or ModelStates.Starting);
    }

    private static JsonObject SelectorMeta(SelectorConfig selector)
    {
        var llamaswap = new JsonObject();
        foreach (var (key, value) in selector.Metadata ?? [])
        {
            // The config's nodes are shared by every request and a node has one parent.
            llamaswap[key] = value?.DeepClone();
        }

        llamaswap["type"] = "selector";
        llamaswap["strategy"] = selector.Strategy;
        llamaswap["targets"] = new JsonArray(selector.Targets.Select(t => (JsonNode?)t).ToArray());
        if (selector.Strategy == SelectorStrategies.Spillover)
        {
            llamaswap["spillover"] = selector.Spillover;
        }

        return llamaswap;
    }

    private static string? Trimmed(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
