using OpenTelemetry;
using OpenTelemetry.Metrics;

namespace LlamaSwap.ServiceDefaults.Telemetry.Prometheus;

/// <summary>
/// A pull exporter (our feed has no OpenTelemetry Prometheus exporter): a scrape asks the SDK to
/// collect, the SDK calls <see cref="Export"/> synchronously on the scraping thread, and the batch is
/// rendered as Prometheus text 0.0.4. Scrapes are serialised: the reader's collect is not meant to
/// run twice at once, and each scrape must read the text its own collect produced.
/// </summary>
[ExportModes(ExportModes.Pull)]
internal sealed class PrometheusExporter : BaseExporter<Metric>, IPullMetricExporter
{
    private const int CollectTimeoutMilliseconds = 5000;

    // Never disposed: a scrape may still arrive while the SDK shuts down, and must get null, not a
    // disposed semaphore (SemaphoreSlim holds no unmanaged handle unless asked for one).
    private readonly SemaphoreSlim _scrape = new(1, 1);
    private string? _text;

    /// <summary>Set by the SDK's metric reader when the exporter is attached to a MeterProvider.</summary>
    public Func<int, bool>? Collect { get; set; }

    public override ExportResult Export(in Batch<Metric> batch)
    {
        _text = PrometheusTextWriter.Write(batch);
        return ExportResult.Success;
    }

    /// <summary>The current metrics as Prometheus text; null when the SDK could not collect (not attached, shutting down).</summary>
    public async Task<string?> ScrapeAsync(CancellationToken cancellationToken)
    {
        await _scrape.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            _text = null;
            return Collect is { } collect && collect(CollectTimeoutMilliseconds) ? _text : null;
        }
        finally
        {
            _scrape.Release();
        }
    }
}
