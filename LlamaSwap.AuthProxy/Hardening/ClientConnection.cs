namespace LlamaSwap.AuthProxy.Hardening;

/// <summary>
/// One admitted connection, as <see cref="ClientConnectionLimiter"/> counts it. Set as a connection
/// feature, so the request pipeline (which sees connection features) can report the first request.
/// </summary>
internal sealed class ClientConnection
{
    private const int Pending = 0;
    private const int Admitted = 1;
    private const int Started = 2;

    private int _state;

    /// <param name="pending">Whether it counts against the client's pending limit until its first request.</param>
    public ClientConnection(ClientAddress client, bool pending)
    {
        Client = client;
        _state = pending ? Pending : Admitted;
    }

    public ClientAddress Client { get; }

    public bool HasStartedARequest => Volatile.Read(ref _state) == Started;

    /// <summary>Marks the first request started (or the connection closed); once only.</summary>
    /// <returns>Null when a request had started already; else whether the connection was counted as pending.</returns>
    internal bool? TryStart()
    {
        var previous = Interlocked.Exchange(ref _state, Started);
        return previous == Started ? null : previous == Pending;
    }
}
