using System.Text.Json.Serialization;

namespace LlamaSwap.Gateway.Activity;

/// <summary>
/// <c>GET /api/metrics/stats</c> (reference 2.4.2): totals over the kept rows, and histograms of
/// prompt processing and generation speed (tokens/s) over the rows that report one
/// (computed by the store: <see cref="Storage.ActivityDatabase.Stats"/>).
/// </summary>
internal sealed record ActivityStats
{
    [JsonPropertyName("total_requests")]
    public int TotalRequests { get; init; }

    [JsonPropertyName("total_input_tokens")]
    public long TotalInputTokens { get; init; }

    [JsonPropertyName("total_output_tokens")]
    public long TotalOutputTokens { get; init; }

    [JsonPropertyName("total_cache_tokens")]
    public long TotalCacheTokens { get; init; }

    [JsonPropertyName("prompt_histogram")]
    public Histogram PromptHistogram { get; init; } = Histogram.Of([]);

    [JsonPropertyName("gen_histogram")]
    public Histogram GenHistogram { get; init; } = Histogram.Of([]);
}

/// <summary>Equal-width bins between the smallest and largest value, with nearest-rank percentiles.</summary>
internal sealed record Histogram
{
    public const int BinCount = 20;

    [JsonPropertyName("bins")]
    public IReadOnlyList<int> Bins { get; init; } = [];

    [JsonPropertyName("min")]
    public double Min { get; init; }

    [JsonPropertyName("max")]
    public double Max { get; init; }

    [JsonPropertyName("binSize")]
    public double BinSize { get; init; }

    [JsonPropertyName("p50")]
    public double P50 { get; init; }

    [JsonPropertyName("p95")]
    public double P95 { get; init; }

    [JsonPropertyName("p99")]
    public double P99 { get; init; }

    public static Histogram Of(double[] values)
    {
        if (values.Length == 0)
        {
            return new Histogram();
        }

        Array.Sort(values);
        var min = values[0];
        var max = values[^1];
        var binSize = max > min ? (max - min) / BinCount : 0;
        var bins = new int[binSize > 0 ? BinCount : 1];
        foreach (var value in values)
        {
            var bin = binSize > 0 ? Math.Min(BinCount - 1, (int)((value - min) / binSize)) : 0;
            bins[bin]++;
        }

        return new Histogram
        {
            Bins = bins,
            Min = min,
            Max = max,
            BinSize = binSize,
            P50 = Percentile(values, 50),
            P95 = Percentile(values, 95),
            P99 = Percentile(values, 99),
        };
    }

    private static double Percentile(double[] sorted, int percent)
        => sorted[Math.Clamp((int)Math.Ceiling(percent / 100.0 * sorted.Length) - 1, 0, sorted.Length - 1)];
}
