namespace LlamaSwap.Core.Contracts;

/// <summary>
/// Routes of the supervisor's internal HTTP API (gateway -> supervisor). Acquire is a long poll:
/// it answers when the model is ready and a serving slot is granted, or with an error status.
/// The gateway cancels by aborting the call AND posting <see cref="Cancel"/> with the same request id,
/// so a lease granted while the client went away is never leaked.
/// </summary>
public static class SupervisorApi
{
    /// <summary>
    /// POST, body <see cref="AcquireRequest"/>: 200 <see cref="AcquireResponse"/>, or 404/429/500/503 <see cref="SupervisorError"/>.
    /// The model is taken as given (404 naming it when unknown): aliases are the gateway's to resolve.
    /// </summary>
    public const string Acquire = "/internal/v1/acquire";

    /// <summary>POST <c>/internal/v1/release/{leaseId}</c>: 204 (unknown leases are ignored).</summary>
    public const string Release = "/internal/v1/release";

    /// <summary>POST <c>/internal/v1/cancel/{requestId}</c>: 204; drops a queued request or releases its lease.</summary>
    public const string Cancel = "/internal/v1/cancel";

    /// <summary>POST: stops every model, answers 200 when all are stopped.</summary>
    public const string UnloadAll = "/internal/v1/unload";

    /// <summary>POST <c>/internal/v1/unload/{modelId}</c>: 200 when stopped, 404 <see cref="SupervisorError"/> naming the id if unknown (an alias is unknown here).</summary>
    public const string UnloadModel = "/internal/v1/unload";

    /// <summary>GET: <see cref="ModelStateRecord"/>[] of every configured model (fallback when Redis is unreachable).</summary>
    public const string State = "/internal/v1/state";

    /// <summary>
    /// POST <c>/internal/v1/heartbeat/{gateway}</c>: 204. A gateway that stops sending these (it
    /// crashed mid-response) has its leases released, so its models can be evicted again.
    /// </summary>
    public const string Heartbeat = "/internal/v1/heartbeat";

    /// <summary>GET <c>/internal/v1/queue/{requestId}</c>: 200 <see cref="QueueStatus"/>, 404 when the request is not waiting.</summary>
    public const string Queue = "/internal/v1/queue";

    /// <summary>GET: every upstream's retained output, interleaved (<c>text/plain</c>, UTF-8, at most 100 KiB).</summary>
    public const string UpstreamLogs = "/internal/v1/logs/upstream";

    /// <summary>GET <c>/internal/v1/logs/model/{modelId}</c>: one model's retained output (<c>text/plain</c>; empty when it printed nothing).</summary>
    public const string ModelLogs = "/internal/v1/logs/model";

    /// <summary>GET: <c>string[]</c> of the model IDs that have printed output since the supervisor started.</summary>
    public const string LoggedModels = "/internal/v1/logs/models";
}

/// <summary>Ask for a ready upstream for a (resolved, real) model ID; the supervisor does not resolve aliases.</summary>
/// <param name="Gateway">The asking gateway's instance id (see <see cref="SupervisorApi.Heartbeat"/>); null = never expires.</param>
public sealed record AcquireRequest(string Model, string RequestId, string? Gateway = null);

/// <summary>Where a waiting request stands: 1-based place in the queue, or 0 when its model is being loaded for it.</summary>
public sealed record QueueStatus(int Position);

/// <summary>A granted serving slot. Release it with <see cref="SupervisorApi.Release"/> when the response ends.</summary>
public sealed record AcquireResponse(string LeaseId, string Upstream, double QueueWaitMs, double LoadMs);

/// <summary>An error answered by the supervisor; the HTTP status is carried by the response.</summary>
/// <param name="Message">Human text, e.g. <c>Too many requests</c> or <c>unspecific error: health check timed out after 2m0s</c>.</param>
/// <param name="Code">Optional machine code, e.g. <c>concurrency_limit</c>.</param>
public sealed record SupervisorError(string Message, string? Code = null);
