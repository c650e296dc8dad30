using LlamaSwap.Core.Configuration;
using LlamaSwap.Core.Contracts;
using LlamaSwap.Supervisor.Processes;

namespace LlamaSwap.Supervisor.Scheduling;

/// <summary>Everything that can change model state arrives at the owner loop as one of these.</summary>
internal abstract record SchedulerMessage;

internal sealed record AcquireMessage(PendingRequest Request) : SchedulerMessage;

internal sealed record CancelMessage(string RequestId) : SchedulerMessage;

internal sealed record ReleaseMessage(string LeaseId) : SchedulerMessage;

internal sealed record UnloadMessage(string? ModelId, TaskCompletionSource Completion) : SchedulerMessage;

internal sealed record StartCompletedMessage(string ModelId, IUpstreamProcess Process, Exception? Error) : SchedulerMessage;

internal sealed record StopCompletedMessage(string ModelId, IUpstreamProcess Process) : SchedulerMessage;

/// <summary>A starting process's latest load estimate (already coalesced by its monitor).</summary>
internal sealed record LoadProgressMessage(string ModelId, IUpstreamProcess Process, LoadProgress Progress) : SchedulerMessage;

internal sealed record ProcessExitedMessage(string ModelId, IUpstreamProcess Process, UpstreamExit Exit) : SchedulerMessage;

/// <summary>A running upstream left by a crashed supervisor, to be taken on as ready.</summary>
internal sealed record AdoptMessage(IUpstreamProcess Process) : SchedulerMessage;

internal sealed record TtlTickMessage : SchedulerMessage;

internal sealed record GatewayAliveMessage(string Gateway) : SchedulerMessage;

internal sealed record QueuePositionMessage(string RequestId, TaskCompletionSource<int?> Completion) : SchedulerMessage;

internal sealed record ShutdownMessage(TaskCompletionSource Completion) : SchedulerMessage;

/// <summary>Completes once every message posted before it has been handled (tests use it to wait for quiescence).</summary>
internal sealed record ProbeMessage(TaskCompletionSource Completion) : SchedulerMessage;

internal sealed record ReconfigureMessage(LlamaSwapConfig Config, TaskCompletionSource<ReloadSummary> Completion) : SchedulerMessage;
