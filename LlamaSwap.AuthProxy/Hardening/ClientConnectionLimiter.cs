using Microsoft.Extensions.Options;

namespace LlamaSwap.AuthProxy.Hardening;

/// <summary>
/// Decides whether a new connection is admitted, and owns the counts that decision reads: connections
/// admitted in all (<see cref="AuthProxyLimits.MaxConcurrentConnections"/>), and per
/// <see cref="ClientAddress"/> those open, those pending (no request started yet), and whether the client
/// is refused beyond its pending limit because it recently dribbled its headers.
/// </summary>
internal sealed partial class ClientConnectionLimiter(IOptions<AuthProxyLimits> options, TimeProvider time, ILogger<ClientConnectionLimiter> logger)
{
    /// <summary>How long a client that dribbled headers on a connection beyond its limit is refused beyond it.</summary>
    public static readonly TimeSpan RefusalPeriod = TimeSpan.FromSeconds(60);

    private const int PurgeEvery = 256;

    private readonly Lock _lock = new();
    private readonly Dictionary<ClientAddress, Counts> _clients = [];
    private readonly long? _maxAdmitted = options.Value.MaxConcurrentConnections;
    private readonly int? _maxPending = options.Value.MaxPendingConnectionsPerClient;
    private readonly int? _maxOpen = options.Value.MaxConnectionsPerClient;
    private long _admitted;
    private long _checking;
    private int _opensSincePurge;

    /// <summary>
    /// Within the limits the connection is admitted as pending. Beyond its client's pending limit it is
    /// checked first (<see cref="Admission.BurstCheck"/>, then <see cref="EndBurstCheck"/>), unless the client
    /// dribbled recently: then it is refused.
    /// </summary>
    public Admission TryOpen(ClientAddress client, out ClientConnection? connection)
    {
        connection = null;
        Admission admission;
        int pending, open;
        long admitted;
        bool firstRefusal;
        List<(ClientAddress, int)>? forgotten;
        lock (_lock)
        {
            forgotten = PurgeNowAndThen();
            admitted = _admitted;
            var counts = CountsFor(client);
            (pending, open) = (counts.Pending, counts.Open);
            if (_admitted >= _maxAdmitted || open >= _maxOpen)
            {
                admission = Admission.Refused;
            }
            else if (!(pending >= _maxPending))
            {
                admission = Admission.Pending;
                Admit(counts);
                counts.Pending++;
                connection = new ClientConnection(client, pending: true);
            }
            else if (IsRefusing(counts))
            {
                // A client that keeps trying stays refused.
                admission = Admission.Refused;
                counts.RefusingUntil = RefusalDeadline();
            }
            else if (_checking >= _maxAdmitted)
            {
                admission = Admission.Refused;
            }
            else
            {
                admission = Admission.BurstCheck;
                _checking++;
            }

            firstRefusal = admission == Admission.Refused && counts.Refused++ == 0;
        }

        // One line when a client is first refused, one when it is forgotten: an attack must not become a log flood.
        if (firstRefusal)
        {
            Log.Refusing(logger, client, pending, open, admitted);
        }

        foreach (var (gone, refused) in forgotten ?? [])
        {
            Log.Forgotten(logger, gone, refused);
        }

        return admission;
    }

    /// <summary>Ends the check of a connection beyond its client's pending limit.</summary>
    /// <returns>The connection, admitted but not pending, when its complete request head arrived and the
    /// limits still allow it; else null.</returns>
    public ClientConnection? EndBurstCheck(ClientAddress client, HeadArrival arrival)
    {
        var startsRefusing = false;
        int pending;
        lock (_lock)
        {
            _checking--;
            var counts = CountsFor(client);
            pending = counts.Pending;
            if (arrival == HeadArrival.Complete && !(_admitted >= _maxAdmitted) && !(counts.Open >= _maxOpen))
            {
                Admit(counts);
                return new ClientConnection(client, pending: false);
            }

            counts.Refused++;
            if (arrival == HeadArrival.Partial)
            {
                // Dribbled headers are a slowloris. A silent client is not judged: it may be a client
                // slowed down by a busy machine, and the check let it hold nothing anyone else needs.
                startsRefusing = !IsRefusing(counts);
                counts.RefusingUntil = RefusalDeadline();
            }
        }

        if (startsRefusing)
        {
            Log.RefusingSlowClient(logger, client, pending, RefusalPeriod.TotalSeconds);
        }

        return null;
    }

    /// <summary>A request's headers are in: the connection no longer counts as pending.</summary>
    /// <returns>True for the connection's first request.</returns>
    public bool RequestStarted(ClientConnection connection)
    {
        if (connection.HasStartedARequest || connection.TryStart() is not { } wasPending)
        {
            return false;
        }

        if (wasPending)
        {
            lock (_lock)
            {
                // Always there: a connection is closed (and its client perhaps forgotten) only after its requests.
                if (_clients.TryGetValue(connection.Client, out var counts))
                {
                    counts.Pending--;
                }
            }
        }

        return true;
    }

    /// <summary>The connection is gone.</summary>
    public void Closed(ClientConnection connection)
    {
        var wasPending = connection.TryStart() == true;
        int refused;
        lock (_lock)
        {
            _admitted--;
            var counts = _clients[connection.Client];
            counts.Open--;
            if (wasPending)
            {
                counts.Pending--;
            }

            refused = RemoveIfIdle(connection.Client, counts);
        }

        if (refused > 0)
        {
            Log.Forgotten(logger, connection.Client, refused);
        }
    }

    /// <summary>What one client holds now (tests and diagnostics).</summary>
    public (int Open, int Pending, bool Refusing) CountsOf(ClientAddress client)
    {
        lock (_lock)
        {
            return _clients.TryGetValue(client, out var counts) ? (counts.Open, counts.Pending, IsRefusing(counts)) : (0, 0, false);
        }
    }

    /// <summary>Connections admitted, and connections beyond a client's pending limit being checked (tests and diagnostics).</summary>
    public (long Admitted, long Checking) Totals()
    {
        lock (_lock)
        {
            return (_admitted, _checking);
        }
    }

    private void Admit(Counts counts)
    {
        _admitted++;
        counts.Open++;
    }

    private Counts CountsFor(ClientAddress client)
    {
        if (!_clients.TryGetValue(client, out var counts))
        {
            counts = new Counts();
            _clients.Add(client, counts);
        }

        return counts;
    }

    private bool IsRefusing(Counts counts) => counts.RefusingUntil > time.GetTimestamp();

    private long RefusalDeadline() => time.GetTimestamp() + (long)(RefusalPeriod.TotalSeconds * time.TimestampFrequency);

    /// <summary>A client holding nothing is forgotten, unless it is being refused: that must outlive its connections.</summary>
    /// <returns>How many connections the forgotten client had been refused (0 when kept).</returns>
    private int RemoveIfIdle(ClientAddress client, Counts counts)
    {
        if (counts.Open > 0 || IsRefusing(counts))
        {
            return 0;
        }

        _clients.Remove(client);
        return counts.Refused;
    }

    /// <summary>
    /// Forgets clients that hold nothing and are not refused any more: those whose refusal ran out, and
    /// those whose every connection was refused or failed its check (never opened, so never closed).
    /// </summary>
    private List<(ClientAddress, int)>? PurgeNowAndThen()
    {
        if (++_opensSincePurge < PurgeEvery)
        {
            return null;
        }

        _opensSincePurge = 0;
        List<(ClientAddress, int)>? forgotten = null;
        foreach (var (client, counts) in _clients)
        {
            if (RemoveIfIdle(client, counts) is > 0 and var refused)
            {
                (forgotten ??= []).Add((client, refused));
            }
        }

        return forgotten;
    }

    private sealed class Counts
    {
        public int Open;
        public int Pending;
        public long RefusingUntil;

        /// <summary>Connections refused since this client was last forgotten.</summary>
        public int Refused;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1820, Level = LogLevel.Warning,
            Message = "Refusing connections from {Client}: it holds {Pending} connections without a request and {Open} in all ({Admitted} admitted from all clients)")]
        public static partial void Refusing(ILogger logger, ClientAddress client, int pending, int open, long admitted);

        [LoggerMessage(EventId = 1821, Level = LogLevel.Warning,
            Message = "Refusing connections from {Client} beyond its {Pending} pending ones for {Seconds} s: one more dribbled its headers")]
        public static partial void RefusingSlowClient(ILogger logger, ClientAddress client, int pending, double seconds);

        [LoggerMessage(EventId = 1822, Level = LogLevel.Information, Message = "Refused {Refused} connections from {Client} in all; it holds none now")]
        public static partial void Forgotten(ILogger logger, ClientAddress client, int refused);
    }
}
