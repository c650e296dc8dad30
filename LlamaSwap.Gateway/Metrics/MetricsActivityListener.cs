using LlamaSwap.Gateway.Activity;

namespace LlamaSwap.Gateway.Metrics;

/// <summary>
/// Turns every recorded activity row into metric measurements. Unknown figures (-1) are left out
/// rather than counted as zero, so a histogram's count is the number of requests that had the figure.
/// </summary>
internal sealed class MetricsActivityListener(GatewayMetrics metrics) : IActivityListener
{
    public void OnRecorded(ActivityEntry entry)
    {
        var model = new KeyValuePair<string, object?>("model", entry.Model);
        metrics.Requests.Add(1, model, new KeyValuePair<string, object?>("status_code", entry.ResponseStatusCode));
        if (entry.Tokens.InputTokens > 0)
        {
            metrics.InputTokens.Add(entry.Tokens.InputTokens, model);
        }

        if (entry.Tokens.OutputTokens > 0)
        {
            metrics.OutputTokens.Add(entry.Tokens.OutputTokens, model);
        }

        if (entry.FirstByteMs >= 0)
        {
            metrics.TimeToFirstToken.Record(entry.FirstByteMs / 1000, model);
        }

        if (entry.QueueWaitMs >= 0)
        {
            metrics.QueueWait.Record(entry.QueueWaitMs / 1000, model);
        }

        // 0 means the model was ready: a load-time histogram of zeros would say nothing about loads.
        if (entry.LoadMs > 0)
        {
            metrics.ModelLoad.Record(entry.LoadMs / 1000, model);
        }
    }
}
