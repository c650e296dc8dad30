namespace LlamaSwap.AuthProxy.Limits;

/// <summary>The limiter's answer for one request.</summary>
/// <param name="Lease">The concurrency slot to give back when the request is over (null when the key has no <c>maxConcurrent</c>).</param>
/// <param name="RetryAfter">For a refusal: how long until the limit frees (end of the minute; a guess for concurrency).</param>
internal sealed record LimitDecision(LimitRefusal Refusal, TimeSpan RetryAfter, LimitLease? Lease)
{
    public bool Allowed => Refusal == LimitRefusal.None;

    public static LimitDecision Admit(LimitLease? lease) => new(LimitRefusal.None, TimeSpan.Zero, lease);

    public static LimitDecision Refuse(LimitRefusal refusal, TimeSpan retryAfter) => new(refusal, retryAfter, null);
}
