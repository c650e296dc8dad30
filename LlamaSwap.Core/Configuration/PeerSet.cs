namespace LlamaSwap.Core.Configuration;

/// <summary>
/// The configured peers and the names their models answer to: every FQN, and a bare model ID when
/// exactly one peer lists it and it is not itself an FQN (an FQN always wins).
/// </summary>
/// <remarks>
/// Local models and aliases take precedence over bare names; that is decided by
/// <see cref="LlamaSwapConfig.ResolvePeer"/>, which knows both. Duplicate FQNs are a load error;
/// a hand-built set keeps the first.
/// </remarks>
public sealed class PeerSet
{
    /// <summary>No peers.</summary>
    public static readonly PeerSet Empty = new([]);

    private readonly Dictionary<string, PeerModel> _byName = new(StringComparer.Ordinal);

    public PeerSet(IEnumerable<PeerConfig> peers)
    {
        var byId = new SortedDictionary<string, PeerConfig>(StringComparer.Ordinal);
        foreach (var peer in peers)
        {
            byId.TryAdd(peer.Id, peer);
        }

        ById = byId;
        var models = new List<PeerModel>();
        var bareCounts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var peer in byId.Values)
        {
            foreach (var modelId in peer.Models.Distinct(StringComparer.Ordinal))
            {
                var model = new PeerModel(peer, modelId);
                if (_byName.TryAdd(model.Fqn, model))
                {
                    models.Add(model);
                }

                bareCounts[modelId] = bareCounts.GetValueOrDefault(modelId) + 1;
            }
        }

        foreach (var model in models)
        {
            // A bare ID two peers list is ambiguous: only the FQNs reach those models.
            if (bareCounts[model.ModelId] == 1)
            {
                _byName.TryAdd(model.ModelId, model);
            }
        }

        models.Sort((a, b) => string.CompareOrdinal(a.Fqn, b.Fqn));
        Models = models;
    }

    /// <summary>Peers by ID, in ordinal ID order.</summary>
    public IReadOnlyDictionary<string, PeerConfig> ById { get; }

    /// <summary>Every peer model once, by FQN in ordinal order.</summary>
    public IReadOnlyList<PeerModel> Models { get; }

    public int Count => ById.Count;

    /// <summary>The peer model an FQN or unique bare model ID names, or null.</summary>
    public PeerModel? Find(string name) => _byName.GetValueOrDefault(name);
}
