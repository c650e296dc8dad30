using LlamaSwap.Gateway.Configuration;
using LlamaSwap.Gateway.Metrics.Performance.Gpu;
using LlamaSwap.Gateway.Metrics.Performance.Hardware;

namespace LlamaSwap.Gateway.Metrics.Performance;

/// <summary>
/// Reads <c>/proc</c> and the GPUs every <c>performance.every</c> (re-read from the config each round,
/// so a reload applies), keeps the latest <see cref="SystemSnapshot"/> and adds both to the last-hour
/// <see cref="PerformanceHistory"/>; with <c>performance.disabled</c> it keeps none, and <c>/metrics</c>
/// leaves the system metrics out. Scrapes and <c>/api/performance</c> only read what was sampled.
/// Before the first GPU round it detects the hardware once for <c>/api/hardware</c>.
/// </summary>
internal sealed partial class SystemStatsSampler(
    ConfigHolder config,
    TimeProvider time,
    ILogger<SystemStatsSampler> logger,
    string procRoot = "/proc",
    PerformanceHistory? history = null,
    GpuSampler? gpus = null,
    HardwareState? hardware = null,
    string etcRoot = "/etc")
    : BackgroundService
{
    private IReadOnlyList<CpuTimes>? _previousCpu;
    private volatile SystemSnapshot? _latest;
    private bool _failureLogged;

    /// <summary>The latest sample; null while disabled, before the first sample or when <c>/proc</c> is unreadable.</summary>
    public SystemSnapshot? Latest => _latest;

    /// <summary>Takes one sample now (the loop's body; tests call it directly).</summary>
    public void SampleOnce()
    {
        if (config.Current.Observability.PerformanceDisabled)
        {
            _latest = null;
            _previousCpu = null;
            history?.Clear();
            return;
        }

        try
        {
            var cpu = ProcStats.ParseCpu(Read("stat"));

            // The first round has no previous reading: utilisation since boot stands in for it.
            var utilisation = ProcStats.Utilisation(_previousCpu, cpu);
            _previousCpu = cpu;
            _latest = new SystemSnapshot(
                time.GetUtcNow(),
                utilisation,
                ProcStats.ParseMemory(Read("meminfo")),
                ProcStats.ParseLoadAverage(Read("loadavg")),
                ProcStats.ParseNetwork(Read("net/dev")));
            history?.AddSystem(SysStat.From(_latest));
            _failureLogged = false;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or OverflowException or IndexOutOfRangeException)
        {
            // Not Linux, or a /proc we cannot read: no system metrics, logged once per outage.
            _latest = null;
            if (!_failureLogged)
            {
                _failureLogged = true;
                Log.SampleFailed(logger, procRoot, ex);
            }
        }
    }

    /// <summary>Takes the first sample before the server starts, so the first scrape already has one.</summary>
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        SampleOnce();
        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await DetectHardwareAsync(stoppingToken);
            while (!stoppingToken.IsCancellationRequested)
            {
                await Task.Delay(config.Current.Observability.PerformanceEvery, time, stoppingToken);
                SampleOnce();
                await SampleGpusAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    /// <summary>One GPU round into the history (the loop's second half; tests call it directly).</summary>
    public async Task SampleGpusAsync(CancellationToken cancellationToken)
    {
        if (gpus is null || config.Current.Observability.PerformanceDisabled)
        {
            return;
        }

        var readings = await gpus.SampleAsync(cancellationToken);
        history?.AddGpus([.. readings.Select(r => r.Stat)]);
    }

    /// <summary>
    /// The hardware snapshot, from the first GPU reading (taken whether or not performance is enabled:
    /// <c>/api/hardware</c> does not depend on it), which also becomes the first GPU sample.
    /// </summary>
    private async Task DetectHardwareAsync(CancellationToken cancellationToken)
    {
        if (gpus is null)
        {
            return;
        }

        var readings = await gpus.SampleAsync(cancellationToken);
        if (!config.Current.Observability.PerformanceDisabled)
        {
            history?.AddGpus([.. readings.Select(r => r.Stat)]);
        }

        if (hardware is not null)
        {
            try
            {
                hardware.Current = HardwareDetector.Detect(procRoot, etcRoot, readings, time.GetUtcNow().UtcDateTime);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or OverflowException)
            {
                Log.HardwareFailed(logger, ex);
            }
        }
    }

    private string Read(string relativePath) => File.ReadAllText(Path.Combine(procRoot, relativePath));

    private static partial class Log
    {
        [LoggerMessage(EventId = 1400, Level = LogLevel.Warning, Message = "Cannot read system statistics from {ProcRoot}; /metrics omits system metrics")]
        public static partial void SampleFailed(ILogger logger, string procRoot, Exception exception);

        [LoggerMessage(EventId = 1405, Level = LogLevel.Warning, Message = "Cannot detect the hardware; /api/hardware answers 503")]
        public static partial void HardwareFailed(ILogger logger, Exception exception);
    }
}
