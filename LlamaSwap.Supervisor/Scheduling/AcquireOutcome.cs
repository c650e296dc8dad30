using LlamaSwap.Core.Contracts;

namespace LlamaSwap.Supervisor.Scheduling;

/// <summary>The answer to an acquire: a lease, an error with its HTTP status, or "the caller went away".</summary>
internal sealed record AcquireOutcome
{
    public AcquireResponse? Lease { get; private init; }

    public int Status { get; private init; }

    public SupervisorError? Error { get; private init; }

    public bool Cancelled { get; private init; }

    public static AcquireOutcome Granted(AcquireResponse lease) => new() { Lease = lease, Status = StatusCodes.Status200OK };

    public static AcquireOutcome Failed(int status, string message, string? code = null)
        => new() { Status = status, Error = new SupervisorError(message, code) };

    public static AcquireOutcome CallerGone { get; } = new() { Cancelled = true, Status = 499 };
}
