using System.Globalization;

namespace LlamaSwap.Gateway.Inflight;

/// <summary>
/// The requests other gateways are serving, as they announced them on the event bus
/// (<see cref="SharedInflightFeed"/>): shown beside this gateway's own in <c>/api/events</c>, with ids
/// <c>&lt;gateway tag&gt;-&lt;their id&gt;</c> so they never collide with this gateway's decimal ids. A
/// gateway that stops announcing (it crashed) has its requests removed after <see cref="Timeout"/>.
/// </summary>
internal sealed class RemoteInflight(TimeProvider time)
{
    /// <summary>How long a gateway's requests are kept after its last message.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(6);

    private readonly Lock _lock = new();
    private readonly Dictionary<string, Peer> _peers = new(StringComparer.Ordinal);

    /// <summary>An entry appeared or changed (its id already prefixed), or an id went away (entry null).</summary>
    public event Action<string, InflightEntry?>? Changed;

    /// <summary>Whether any other gateway has spoken within <see cref="Timeout"/>: only then are this gateway's requests worth announcing one by one.</summary>
    public bool HasPeers
    {
        get
        {
            lock (_lock)
            {
                return _peers.Count > 0;
            }
        }
    }

    /// <summary>The tag that prefixes a gateway's request ids here.</summary>
    public static string Tag(string gateway) => gateway.Length > 8 ? gateway[..8] : gateway;

    /// <summary>Every other gateway's requests, oldest first.</summary>
    public IReadOnlyList<InflightEntry> Snapshot()
    {
        lock (_lock)
        {
            return [.. _peers.Values.SelectMany(p => p.Entries.Values).OrderBy(e => e.Timestamp)];
        }
    }

    /// <summary>The gateway and local id behind a prefixed id; false when no known gateway serves it.</summary>
    public bool TryFind(string id, out string gateway, out long localId)
    {
        lock (_lock)
        {
            foreach (var (name, peer) in _peers)
            {
                var prefix = Tag(name) + "-";
                if (id.StartsWith(prefix, StringComparison.Ordinal)
                    && long.TryParse(id.AsSpan(prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out localId)
                    && peer.Entries.ContainsKey(localId))
                {
                    gateway = name;
                    return true;
                }
            }
        }

        gateway = "";
        localId = 0;
        return false;
    }

    /// <summary>A gateway is alive (any message from it).</summary>
    public void Seen(string gateway)
    {
        lock (_lock)
        {
            PeerOf(gateway);
        }
    }

    public void Upsert(string gateway, InflightEntry entry)
    {
        if (!long.TryParse(entry.Id, NumberStyles.None, CultureInfo.InvariantCulture, out var localId))
        {
            return;
        }

        var shown = entry with { Id = $"{Tag(gateway)}-{entry.Id}" };
        lock (_lock)
        {
            PeerOf(gateway).Entries[localId] = shown;
        }

        Changed?.Invoke(shown.Id, shown);
    }

    public void Remove(string gateway, long localId)
    {
        bool removed;
        lock (_lock)
        {
            removed = PeerOf(gateway).Entries.Remove(localId);
        }

        if (removed)
        {
            Changed?.Invoke($"{Tag(gateway)}-{localId}", null);
        }
    }

    /// <summary>Replaces everything known of <paramref name="gateway"/> with its own list (its periodic snapshot).</summary>
    public void Replace(string gateway, IReadOnlyList<InflightEntry> entries)
    {
        var current = entries
            .Where(e => long.TryParse(e.Id, NumberStyles.None, CultureInfo.InvariantCulture, out _))
            .ToDictionary(e => long.Parse(e.Id, CultureInfo.InvariantCulture), e => e with { Id = $"{Tag(gateway)}-{e.Id}" });
        long[] gone;
        lock (_lock)
        {
            var peer = PeerOf(gateway);
            gone = [.. peer.Entries.Keys.Where(id => !current.ContainsKey(id))];
            peer.Entries = current;
        }

        foreach (var id in gone)
        {
            Changed?.Invoke($"{Tag(gateway)}-{id}", null);
        }

        foreach (var entry in current.Values)
        {
            Changed?.Invoke(entry.Id, entry);
        }
    }

    /// <summary>Forgets gateways silent for longer than <see cref="Timeout"/>, removing their requests.</summary>
    public void Expire()
    {
        List<string> gone = [];
        lock (_lock)
        {
            foreach (var (name, peer) in _peers.ToArray())
            {
                if (time.GetElapsedTime(peer.LastSeen) > Timeout)
                {
                    _peers.Remove(name);
                    gone.AddRange(peer.Entries.Values.Select(e => e.Id));
                }
            }
        }

        foreach (var id in gone)
        {
            Changed?.Invoke(id, null);
        }
    }

    private Peer PeerOf(string gateway)
    {
        if (!_peers.TryGetValue(gateway, out var peer))
        {
            peer = new Peer();
            _peers[gateway] = peer;
        }

        peer.LastSeen = time.GetTimestamp();
        return peer;
    }

    private sealed class Peer
    {
        public long LastSeen { get; set; }

        public Dictionary<long, InflightEntry> Entries { get; set; } = [];
    }
}
