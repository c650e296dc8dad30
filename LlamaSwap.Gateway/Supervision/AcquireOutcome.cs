using LlamaSwap.Core.Contracts;

namespace LlamaSwap.Gateway.Supervision;

/// <summary>What came of asking the supervisor for a ready upstream.</summary>
internal abstract record AcquireOutcome
{
    private AcquireOutcome()
    {
    }

    /// <summary>A serving slot: forward, then release <see cref="AcquireResponse.LeaseId"/>.</summary>
    public sealed record Granted(AcquireResponse Lease) : AcquireOutcome;

    /// <summary>The supervisor said no (unknown model, concurrency limit, start failure...).</summary>
    /// <param name="RetryAfter">The supervisor's <c>Retry-After</c> header, if it sent one.</param>
    public sealed record Refused(int StatusCode, string Message, string? Code, string? RetryAfter) : AcquireOutcome;

    /// <summary>The client went away while waiting.</summary>
    public sealed record ClientGone : AcquireOutcome;

    /// <summary>The supervisor answered nonsense.</summary>
    public sealed record Failed(string Message) : AcquireOutcome;

    /// <summary>The supervisor could not be reached, even after waiting a while for it to come back (a restart).</summary>
    public sealed record Unavailable(string Message) : AcquireOutcome;
}
