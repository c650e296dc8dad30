using LlamaSwap.Core.Configuration.Yaml;

namespace LlamaSwap.Core.Configuration.Loading;

/// <summary>
/// Reads <c>peers</c> (reference 1.8) and checks the names they claim: FQNs are reserved, so a
/// local model ID or alias equal to one, or two peers producing the same one, is an error.
/// </summary>
internal static class PeerReader
{
    private const string SetParamsById = "setParamsByID";

    /// <param name="config">The config with <see cref="LlamaSwapConfig.Models"/> and aliases already read.</param>
    public static PeerSet Read(ConfigNode? node, LlamaSwapConfig config, ValueReader values)
    {
        var mapping = values.Mapping(node, "peers");
        if (mapping is null)
        {
            return PeerSet.Empty;
        }

        var peers = new List<PeerConfig>();
        var fqnOwners = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in mapping.Entries.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            var path = ConfigPath.Child("peers", entry.Key);
            if (entry.Key.Trim().Length == 0)
            {
                values.Diagnostics.Error(path, "peer ID must not be empty");
                continue;
            }

            var peer = values.Mapping(entry.Value, path);
            if (peer is null)
            {
                values.Diagnostics.Error(path, "a peer needs at least a proxy and models");
                continue;
            }

            KnownKeys.WarnAboutIgnoredKeys(peer, path, KnownKeys.Peer, values.Diagnostics);
            if (ReadPeer(entry.Key, peer, path, values) is { } peerConfig)
            {
                CheckNames(peerConfig, path, config, fqnOwners, values.Diagnostics);
                peers.Add(peerConfig);
            }
        }

        return new PeerSet(peers);
    }

    private static PeerConfig? ReadPeer(string id, MappingNode peer, string path, ValueReader values)
    {
        string P(string key) => ConfigPath.Child(path, key);

        var proxy = ReadProxy(peer, P("proxy"), values);
        var models = ReadModels(peer, P("models"), values);
        var apiKey = values.String(peer["apiKey"], P("apiKey"))?.Trim();
        var filters = FilterReader.Read(peer["filters"], P("filters"), values);
        if (peer["filters"] is MappingNode filterNode && filterNode.ContainsKey(SetParamsById))
        {
            // setParamsByID keys become aliases of a local model; a peer has nothing to alias.
            values.Diagnostics.Warning(ConfigPath.Child(P("filters"), SetParamsById), "not supported for peers (ignored)");
            filters = filters with { SetParamsById = new Dictionary<string, System.Text.Json.Nodes.JsonObject>(StringComparer.Ordinal) };
        }

        var timeouts = TimeoutsReader.Read(peer["timeouts"], P("timeouts"), KnownKeys.PeerTimeouts, UpstreamTimeouts.PeerDefaults, values);
        if (proxy is null || models is null)
        {
            return null;
        }

        return new PeerConfig
        {
            Id = id,
            Proxy = proxy,
            ApiKey = string.IsNullOrEmpty(apiKey) ? null : apiKey,
            Models = models,
            Filters = filters.IsEmpty ? ModelFilters.None : filters,
            Timeouts = timeouts,
        };
    }

    private static Uri? ReadProxy(MappingNode peer, string path, ValueReader values)
    {
        var text = values.String(peer["proxy"], path)?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            // A non-scalar proxy was already reported as such.
            if (IsAbsent(peer["proxy"]) || text is not null)
            {
                values.Diagnostics.Error(path, "proxy is required");
            }

            return null;
        }

        if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
        {
            return uri;
        }

        values.Diagnostics.Error(path, $"proxy must be an absolute http(s) URL, got \"{text}\"");
        return null;
    }

    private static List<string>? ReadModels(MappingNode peer, string path, ValueReader values)
    {
        var items = values.StringList(peer["models"], path);
        if (items is null || items.Count == 0)
        {
            // A models value that is not a list was already reported as such.
            if (IsAbsent(peer["models"]) || items is not null)
            {
                values.Diagnostics.Error(path, "models is required and must list at least one model");
            }

            return null;
        }

        var models = new List<string>();
        for (var i = 0; i < items.Count; i++)
        {
            var model = items[i]?.Trim();
            if (string.IsNullOrEmpty(model))
            {
                values.Diagnostics.Error(ConfigPath.Index(path, i), "peer model ID must not be empty");
            }
            else if (models.Contains(model))
            {
                values.Diagnostics.Error(ConfigPath.Index(path, i), $"duplicate peer model {model}");
            }
            else
            {
                models.Add(model);
            }
        }

        return models.Count > 0 ? models : null;
    }

    private static bool IsAbsent(ConfigNode? node) => node is null or ScalarNode { IsNull: true };

    /// <summary>Every FQN is reserved: neither a local name nor another peer's FQN may equal it.</summary>
    private static void CheckNames(
        PeerConfig peer, string path, LlamaSwapConfig config, Dictionary<string, string> fqnOwners, DiagnosticBag diagnostics)
    {
        for (var i = 0; i < peer.Models.Count; i++)
        {
            var model = new PeerModel(peer, peer.Models[i]);
            var modelPath = ConfigPath.Index(ConfigPath.Child(path, "models"), i);
            if (config.Models.ContainsKey(model.Fqn))
            {
                diagnostics.Error(modelPath, $"peer model {model.Fqn} has the same name as local model {model.Fqn}");
            }
            else if (config.Aliases.TryGetValue(model.Fqn, out var owner))
            {
                diagnostics.Error(modelPath, $"peer model {model.Fqn} has the same name as an alias of local model {owner}");
            }

            // A peer "a" listing "b/c" and a peer "a/b" listing "c" both claim "a/b/c".
            if (!fqnOwners.TryAdd(model.Fqn, peer.Id))
            {
                diagnostics.Error(modelPath, $"peer model {model.Fqn} is also provided by peer {fqnOwners[model.Fqn]}");
            }
        }
    }
}
