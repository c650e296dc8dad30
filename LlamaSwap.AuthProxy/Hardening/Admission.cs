namespace LlamaSwap.AuthProxy.Hardening;

/// <summary>What <see cref="ClientConnectionLimiter"/> decides for a new connection.</summary>
internal enum Admission
{
    /// <summary>Within the client's limits: admitted, counted as pending until its first request.</summary>
    Pending,

    /// <summary>Beyond the client's pending limit: admitted only if complete request headers arrive in time.</summary>
    BurstCheck,

    /// <summary>Dropped at once.</summary>
    Refused,
}
