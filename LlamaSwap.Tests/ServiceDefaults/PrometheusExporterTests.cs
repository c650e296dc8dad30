using System.Diagnostics.Metrics;
using LlamaSwap.ServiceDefaults.Telemetry.Prometheus;
using LlamaSwap.Tests.Infrastructure;
using OpenTelemetry;
using OpenTelemetry.Metrics;

namespace LlamaSwap.Tests.ServiceDefaults;

public sealed class PrometheusExporterTests : IDisposable
{
    // A meter name of its own: tests run in parallel and a MeterProvider subscribes by name.
    private readonly Meter _meter = new($"LlamaSwap.Tests.Prometheus.{Guid.NewGuid():N}");
    private readonly PrometheusExporter _exporter = new();
    private readonly MeterProvider _provider;

    public PrometheusExporterTests()
    {
        _provider = Sdk.CreateMeterProviderBuilder()
            .AddMeter(_meter.Name)
            .AddReader(new BaseExportingMetricReader(_exporter))
            .Build();
    }

    public void Dispose()
    {
        _provider.Dispose();
        _meter.Dispose();
    }

    [Fact]
    public async Task Counter_IsWrittenAsTotalWithHelpTypeAndLabels()
    {
        var requests = _meter.CreateCounter<long>("llamaswap.requests", "{request}", "Model requests served.");
        requests.Add(2, new("model", "chat-a"), new("status_code", 200));
        requests.Add(1, new("model", "chat-b"), new("status_code", 500));

        var metrics = PrometheusText.Parse(await ScrapeAsync());

        Assert.Equal("counter", metrics.TypeOf["llamaswap_requests_total"]);
        Assert.Equal("Model requests served.", metrics.HelpOf["llamaswap_requests_total"]);
        Assert.Equal(2, metrics.Value("llamaswap_requests_total", ("model", "chat-a"), ("status_code", "200")));
        Assert.Equal(1, metrics.Value("llamaswap_requests_total", ("model", "chat-b"), ("status_code", "500")));
    }

    [Fact]
    public async Task Counter_GrowsBetweenScrapes()
    {
        var tokens = _meter.CreateCounter<long>("llamaswap.tokens.output", "{token}");
        tokens.Add(5, new KeyValuePair<string, object?>("model", "m"));
        var before = PrometheusText.Parse(await ScrapeAsync()).Value("llamaswap_tokens_output_total", ("model", "m"));
        tokens.Add(7, new KeyValuePair<string, object?>("model", "m"));
        var after = PrometheusText.Parse(await ScrapeAsync()).Value("llamaswap_tokens_output_total", ("model", "m"));

        Assert.Equal(5, before);
        Assert.Equal(12, after);
    }

    [Fact]
    public async Task Histogram_InSeconds_HasCumulativeBucketsSumAndCount()
    {
        var wait = _meter.CreateHistogram<double>(
            "llamaswap.queue_wait", "s", "Queue wait.", tags: null, new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.1, 1, 10] });
        wait.Record(0.05, new KeyValuePair<string, object?>("model", "m"));
        wait.Record(0.5, new KeyValuePair<string, object?>("model", "m"));
        wait.Record(20, new KeyValuePair<string, object?>("model", "m"));

        var metrics = PrometheusText.Parse(await ScrapeAsync());

        Assert.Equal("histogram", metrics.TypeOf["llamaswap_queue_wait_seconds"]);
        Assert.Equal(1, metrics.Value("llamaswap_queue_wait_seconds_bucket", ("model", "m"), ("le", "0.1")));
        Assert.Equal(2, metrics.Value("llamaswap_queue_wait_seconds_bucket", ("model", "m"), ("le", "1")));
        Assert.Equal(2, metrics.Value("llamaswap_queue_wait_seconds_bucket", ("model", "m"), ("le", "10")));
        Assert.Equal(3, metrics.Value("llamaswap_queue_wait_seconds_bucket", ("model", "m"), ("le", "+Inf")));
        Assert.Equal(20.55, metrics.Value("llamaswap_queue_wait_seconds_sum", ("model", "m"))!.Value, precision: 9);
        Assert.Equal(3, metrics.Value("llamaswap_queue_wait_seconds_count", ("model", "m")));
    }

    [Fact]
    public async Task ObservableGauge_ReportsTheCallbacksValue_AndKeepsANameThatAlreadyEndsInItsUnit()
    {
        var memory = 1234L;
        _meter.CreateObservableGauge("llamaswap_memory_total_bytes", () => memory, "By");
        _meter.CreateObservableGauge("llamaswap.models.loaded", () => 3, "{model}");

        var metrics = PrometheusText.Parse(await ScrapeAsync());

        Assert.Equal("gauge", metrics.TypeOf["llamaswap_memory_total_bytes"]);
        Assert.Equal(1234, metrics.Value("llamaswap_memory_total_bytes"));
        Assert.Equal(3, metrics.Value("llamaswap_models_loaded"));
    }

    [Fact]
    public async Task LabelValues_AreEscaped()
    {
        var counter = _meter.CreateCounter<long>("escapes");
        counter.Add(1, new KeyValuePair<string, object?>("model", "a\"b\\c\nd"));

        var text = await ScrapeAsync();
        var metrics = PrometheusText.Parse(text);

        Assert.Contains("model=\"a\\\"b\\\\c\\nd\"", text);
        Assert.Equal(1, metrics.Value("escapes_total", ("model", "a\"b\\c\nd")));
    }

    [Fact]
    public async Task ConcurrentScrapes_EachGetCompleteText()
    {
        var counter = _meter.CreateCounter<long>("llamaswap.concurrent");
        counter.Add(1);
        _meter.CreateObservableGauge("llamaswap.slow_gauge", () => 1);

        var scrapes = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(ScrapeAsync)));

        Assert.All(scrapes, text =>
        {
            var metrics = PrometheusText.Parse(text);
            Assert.Equal(1, metrics.Value("llamaswap_concurrent_total"));
            Assert.Equal(1, metrics.Value("llamaswap_slow_gauge"));
        });
    }

    [Fact]
    public async Task Scrape_AfterTheProviderIsDisposed_ReturnsNull()
    {
        _provider.Dispose();

        Assert.Null(await _exporter.ScrapeAsync(CancellationToken.None));
    }

    private async Task<string> ScrapeAsync()
        => await _exporter.ScrapeAsync(CancellationToken.None) ?? throw new InvalidOperationException("collect failed");
}
