namespace LlamaSwap.Gateway.Usage;

/// <summary>One key's use of one model on one day.</summary>
internal readonly record struct UsageCounts(long Requests, long InputTokens, long OutputTokens)
{
    public static UsageCounts operator +(UsageCounts a, UsageCounts b)
        => new(a.Requests + b.Requests, a.InputTokens + b.InputTokens, a.OutputTokens + b.OutputTokens);
}

/// <summary>Where a <see cref="UsageCounts"/> belongs: UTC day (<c>yyyy-MM-dd</c>), key name, model.</summary>
internal readonly record struct UsageSlot(string Day, string Key, string Model);
