namespace LlamaSwap.Gateway.Inflight;

/// <summary>What happened to an in-flight request (reference 2.4 <c>inflight</c> events).</summary>
internal enum InflightChange
{
    /// <summary>Tracking began (upsert).</summary>
    Started,

    /// <summary>The response's headers are going out (upsert).</summary>
    ResponseStarted,

    /// <summary>More response bytes went out; raised at most once per <see cref="InflightRequests.ProgressInterval"/> per request (upsert).</summary>
    Progress,

    /// <summary>The request is over (remove).</summary>
    Ended,
}
