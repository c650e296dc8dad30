using System.Diagnostics;

namespace LlamaSwap.Supervisor.Scheduling;

/// <summary>An admitted request that holds a concurrency slot until it is granted, fails or is cancelled.</summary>
internal sealed class PendingRequest(string requestId, string modelId, long arrivedAt, string? gateway = null)
{
    /// <summary>Instance id of the gateway that asked, whose leases expire if it goes silent.</summary>
    public string? Gateway { get; } = gateway;

    public string RequestId { get; } = requestId;

    public string ModelId { get; } = modelId;

    /// <summary><see cref="TimeProvider.GetTimestamp"/> at arrival.</summary>
    public long ArrivedAt { get; } = arrivedAt;

    public TaskCompletionSource<AcquireOutcome> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The acquire call's trace context, captured on the caller's thread: the loop's spans for this request hang under it.</summary>
    public ActivityContext TraceParent { get; init; }

    /// <summary>The <c>queue wait</c> span while the request waits (null when not traced). Loop only.</summary>
    public Activity? QueueSpan { get; set; }
}
