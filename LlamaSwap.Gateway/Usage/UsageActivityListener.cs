using LlamaSwap.Gateway.Activity;

namespace LlamaSwap.Gateway.Usage;

/// <summary>
/// Attributes every recorded row (streaming or not) to its key: the per-day ledger, the key's
/// tokens-per-minute counter and the per-key metrics. Unknown token figures (-1) count as 0.
/// </summary>
internal sealed class UsageActivityListener(UsageLedger ledger, UsageMetrics metrics) : IActivityListener
{
    public void OnRecorded(ActivityEntry entry)
    {
        var key = entry.KeyName ?? UsageKeyName.Anonymous;
        var input = Math.Max(0, entry.Tokens.InputTokens);
        var output = Math.Max(0, entry.Tokens.OutputTokens);
        ledger.Record(new UsageSlot(UsageFields.Day(entry.Timestamp), key, entry.Model), new UsageCounts(1, input, output));

        var tags = new[] { new KeyValuePair<string, object?>("key", key), new KeyValuePair<string, object?>("model", entry.Model) };
        metrics.Requests.Add(1, tags);
        if (input > 0)
        {
            metrics.InputTokens.Add(input, tags);
        }

        if (output > 0)
        {
            metrics.OutputTokens.Add(output, tags);
        }
    }
}
