using System.Globalization;
using System.Text;
using OpenTelemetry;
using OpenTelemetry.Metrics;

namespace LlamaSwap.ServiceDefaults.Telemetry.Prometheus;

/// <summary>
/// Renders collected metrics as Prometheus text exposition format 0.0.4: one HELP and TYPE line per
/// family, counters as <c>_total</c>, histograms as cumulative <c>_bucket{le=..}</c> plus <c>_sum</c>
/// and <c>_count</c>. Samples carry no timestamp (the scrape time is the sample time).
/// </summary>
internal static class PrometheusTextWriter
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    public static string Write(in Batch<Metric> batch)
    {
        // A family's samples must be contiguous: group first (two meters may share a metric name).
        var families = new Dictionary<string, (string Type, List<Metric> Metrics)>(StringComparer.Ordinal);
        foreach (var metric in batch)
        {
            if (TypeOf(metric.MetricType) is not { } type)
            {
                continue;
            }

            var name = PrometheusNames.MetricName(metric.Name, metric.Unit, type == "counter");
            if (!families.TryGetValue(name, out var family))
            {
                families[name] = (type, [metric]);
            }
            else if (family.Type == type)
            {
                family.Metrics.Add(metric);
            }
        }

        var text = new StringBuilder();
        foreach (var (name, (type, metrics)) in families)
        {
            WriteFamily(text, name, type, metrics);
        }

        return text.ToString();
    }

    private static string? TypeOf(MetricType type) => type switch
    {
        MetricType.LongSum or MetricType.DoubleSum => "counter",
        MetricType.LongGauge or MetricType.DoubleGauge or MetricType.LongSumNonMonotonic or MetricType.DoubleSumNonMonotonic => "gauge",
        MetricType.Histogram => "histogram",

        // Exponential histograms have no 0.0.4 form; none of our instruments use them.
        _ => null,
    };

    private static void WriteFamily(StringBuilder text, string name, string type, List<Metric> metrics)
    {
        var description = metrics[0].Description;
        text.Append("# HELP ").Append(name).Append(' ');
        PrometheusNames.AppendHelp(text, string.IsNullOrEmpty(description) ? metrics[0].Name : description);
        text.Append('\n');
        text.Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');
        foreach (var metric in metrics)
        {
            foreach (ref readonly var point in metric.GetMetricPoints())
            {
                if (type == "histogram")
                {
                    WriteHistogram(text, name, point);
                }
                else
                {
                    WriteSample(text, name, point.Tags, extraLabel: null, Value(metric.MetricType, point));
                }
            }
        }
    }

    private static void WriteHistogram(StringBuilder text, string name, in MetricPoint point)
    {
        long cumulative = 0;
        var wroteInfinity = false;
        foreach (var bucket in point.GetHistogramBuckets())
        {
            cumulative += bucket.BucketCount;
            wroteInfinity = double.IsPositiveInfinity(bucket.ExplicitBound);
            WriteSample(text, name + "_bucket", point.Tags, ("le", Format(bucket.ExplicitBound)), cumulative.ToString(CultureInfo.InvariantCulture));
        }

        var count = point.GetHistogramCount().ToString(CultureInfo.InvariantCulture);
        if (!wroteInfinity)
        {
            WriteSample(text, name + "_bucket", point.Tags, ("le", "+Inf"), count);
        }

        WriteSample(text, name + "_sum", point.Tags, extraLabel: null, Format(point.GetHistogramSum()));
        WriteSample(text, name + "_count", point.Tags, extraLabel: null, count);
    }

    private static string Value(MetricType type, in MetricPoint point) => type switch
    {
        MetricType.LongSum or MetricType.LongSumNonMonotonic => point.GetSumLong().ToString(CultureInfo.InvariantCulture),
        MetricType.DoubleSum or MetricType.DoubleSumNonMonotonic => Format(point.GetSumDouble()),
        MetricType.LongGauge => point.GetGaugeLastValueLong().ToString(CultureInfo.InvariantCulture),
        _ => Format(point.GetGaugeLastValueDouble()),
    };

    private static void WriteSample(StringBuilder text, string name, ReadOnlyTagCollection tags, (string Name, string Value)? extraLabel, string value)
    {
        text.Append(name);
        var first = true;
        foreach (var tag in tags)
        {
            text.Append(first ? '{' : ',').Append(PrometheusNames.LabelName(tag.Key)).Append("=\"");
            PrometheusNames.AppendLabelValue(text, Convert.ToString(tag.Value, CultureInfo.InvariantCulture) ?? "");
            text.Append('"');
            first = false;
        }

        if (extraLabel is { } label)
        {
            text.Append(first ? '{' : ',').Append(label.Name).Append("=\"").Append(label.Value).Append('"');
            first = false;
        }

        if (!first)
        {
            text.Append('}');
        }

        text.Append(' ').Append(value).Append('\n');
    }

    private static string Format(double value) => value switch
    {
        double.PositiveInfinity => "+Inf",
        double.NegativeInfinity => "-Inf",
        _ when double.IsNaN(value) => "NaN",
        _ => value.ToString("R", CultureInfo.InvariantCulture),
    };
}
