using System.Text.Json.Nodes;
using LlamaSwap.Core.Configuration;
using LlamaSwap.Core.Contracts;

namespace LlamaSwap.Gateway.Models;

/// <summary>The OpenAI-style model list of <c>GET /v1/models</c> (reference section 2.2).</summary>
internal static class ModelListing
{
    /// <param name="activeProfile">The active profile, whose pins are listed too; null when none is.</param>
    public static ModelList Build(
        LlamaSwapConfig config, IReadOnlyDictionary<string, ModelStateRecord>? states, long created, ProfileConfig? activeProfile = null)
    {
        var entries = new List<ModelListEntry>();
        foreach (var model in config.Models.Values)
        {
            if (model.Unlisted)
            {
                continue;
            }

            var status = new ModelStatus(
                states is not null && states.TryGetValue(model.Id, out var record) && ModelStateReader.IsLoaded(record.State) ? "loaded" : "unloaded");
            var modelEntry = CapabilityRendering.Apply(
                new ModelListEntry
                {
                    Id = model.Id,
                    Created = created,
                    Name = Trimmed(model.Name),
                    Description = Trimmed(model.Description),
                    Status = status,
                },
                model.Capabilities);

            JsonNode? aliases = model.Aliases.Count > 0 ? new JsonArray(model.Aliases.Select(a => (JsonNode?)a).ToArray()) : null;
            entries.Add(modelEntry with { Meta = Meta(model, ("type", "model"), ("aliases", aliases)) });

            if (config.IncludeAliasesInList)
            {
                // Aliases include setParamsByID keys (the loader adds them), so those are listed too.
                foreach (var alias in model.Aliases)
                {
                    entries.Add(modelEntry with
                    {
                        Id = alias,
                        Meta = Meta(model, ("type", "alias"), ("modelID", model.Id)),
                    });
                }
            }
        }

        foreach (var peerModel in config.Peers.Models)
        {
            // Listed by FQN, the one name that always reaches it; nothing is loaded here, so never "loaded".
            entries.Add(new ModelListEntry
            {
                Id = peerModel.Fqn,
                Created = created,
                Name = $"{peerModel.Peer.Id}: {peerModel.ModelId}",
                Status = new ModelStatus("unloaded"),
                Meta = new JsonObject { ["llamaswap"] = new JsonObject { ["type"] = "peer", ["peerID"] = peerModel.Peer.Id } },
            });
        }

        VirtualModelListing.Add(entries, config, states, activeProfile, created);
        entries.Sort((a, b) => string.CompareOrdinal(a.Id, b.Id));
        return new ModelList(entries);
    }

    /// <summary>
    /// <c>meta</c>: user metadata with the internal keys on top (they win a name clash), plus
    /// <c>n_ctx</c> from the context capability; null when there is nothing to say.
    /// </summary>
    /// <param name="internalKeys">llama-swap's own keys; a null value is left out.</param>
    private static JsonObject? Meta(ModelConfig model, params (string Key, JsonNode? Value)[] internalKeys)
    {
        var llamaswap = new JsonObject();
        if (model.Metadata is { } metadata)
        {
            foreach (var (key, value) in metadata)
            {
                if (model.Capabilities is null || !CapabilityRendering.IsRenderedKey(key))
                {
                    // The config's nodes are shared by every request and a node has one parent.
                    llamaswap[key] = value?.DeepClone();
                }
            }
        }

        foreach (var (key, value) in internalKeys)
        {
            if (value is not null)
            {
                llamaswap[key] = value;
            }
        }

        var meta = new JsonObject();
        if (llamaswap.Count > 0)
        {
            meta["llamaswap"] = llamaswap;
        }

        if (model.Capabilities is { Context: > 0 } capabilities)
        {
            meta["n_ctx"] = capabilities.Context;
        }

        return meta.Count > 0 ? meta : null;
    }

    private static string? Trimmed(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
