namespace LlamaSwap.AuthProxy.Hardening;

/// <summary>How a connection's request head arrived within the time <see cref="RequestHeadCheck"/> gave it.</summary>
internal enum HeadArrival
{
    /// <summary>Complete: a real request.</summary>
    Complete,

    /// <summary>Not a byte: a silent client, or one slower than the proxy to start (a busy machine).</summary>
    Silent,

    /// <summary>Begun but not finished (or oversized): a client dribbling its headers, as a slowloris does.</summary>
    Partial,

    /// <summary>The client closed the connection first.</summary>
    Closed,
}
