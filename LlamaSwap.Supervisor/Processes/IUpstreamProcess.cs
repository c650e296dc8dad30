using LlamaSwap.Core.Contracts;

namespace LlamaSwap.Supervisor.Processes;

/// <summary>
/// One run of an upstream process. Created stopped; <see cref="StartAsync"/> may be called once.
/// The scheduler owns the lifecycle; this handle only does the OS work.
/// </summary>
internal interface IUpstreamProcess : IAsyncDisposable
{
    ProcessSpec Spec { get; }

    /// <summary>PID (= process group id) once spawned.</summary>
    int? Pid { get; }

    /// <summary>
    /// Spawns the process in its own process group and waits until the health endpoint answers 200.
    /// When the command is told a port on this machine (see <see cref="UpstreamPort"/>), fails before
    /// spawning if another process listens there, and after the health check if the answer did not
    /// come from the spawned process tree.
    /// Throws <see cref="UpstreamStartException"/> with the reference's messages on failure
    /// (the process group is killed first). On cancellation kills the group and throws
    /// <see cref="OperationCanceledException"/>.
    /// </summary>
    Task StartAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Completes when the spawned process has exited, with its exit code and last lines of output
    /// (<see cref="UpstreamExit.Unknown"/> when nothing was spawned); never faults.
    /// </summary>
    Task<UpstreamExit> Exited { get; }

    /// <summary>
    /// Graceful stop: cmdStop (with <c>${PID}</c>) or SIGTERM to the group, wait up to
    /// <paramref name="gracefulTimeout"/>, then SIGKILL the group and wait for exit. Idempotent;
    /// a no-op when never started or already exited.
    /// </summary>
    Task StopAsync(TimeSpan gracefulTimeout, CancellationToken cancellationToken = default);

    /// <summary>
    /// Raised on a background thread while <see cref="StartAsync"/> waits for health, at most once per
    /// <see cref="LoadProgressMonitor.Interval"/> and only when the estimate changed; never after
    /// <see cref="StartAsync"/> has returned. Handles that cannot measure (fakes, adopted processes) never raise it.
    /// </summary>
    event Action<LoadProgress>? LoadProgressChanged
    {
        add { }
        remove { }
    }
}

/// <summary>Creates process handles; replaced by fakes in scheduler tests.</summary>
internal interface IUpstreamProcessFactory
{
    IUpstreamProcess Create(ProcessSpec spec);
}

/// <summary>
/// A start failure, with the message llama-swap reports (e.g. <c>health check timed out after 2m0s</c>),
/// for a premature exit followed by how the process ended and its last lines (<see cref="UpstreamExit.Explain"/>).
/// </summary>
internal sealed class UpstreamStartException(string message, Exception? inner = null) : Exception(message, inner);
