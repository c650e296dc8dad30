using LlamaSwap.Gateway.Configuration;

namespace LlamaSwap.Gateway.Metrics.Performance;

/// <summary>
/// Reads <c>/proc</c> every <c>performance.every</c> (re-read from the config each round, so a reload
/// applies) and keeps the latest <see cref="SystemSnapshot"/>; with <c>performance.disabled</c> it
/// keeps none, and <c>/metrics</c> leaves the system metrics out. Scrapes only read the snapshot.
/// </summary>
internal sealed partial class SystemStatsSampler(ConfigHolder config, TimeProvider time, ILogger<SystemStatsSampler> logger, string procRoot = "/proc")
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
            while (!stoppingToken.IsCancellationRequested)
            {
                await Task.Delay(config.Current.Observability.PerformanceEvery, time, stoppingToken);
                SampleOnce();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    private string Read(string relativePath) => File.ReadAllText(Path.Combine(procRoot, relativePath));

    private static partial class Log
    {
        [LoggerMessage(EventId = 1400, Level = LogLevel.Warning, Message = "Cannot read system statistics from {ProcRoot}; /metrics omits system metrics")]
        public static partial void SampleFailed(ILogger logger, string procRoot, Exception exception);
    }
}
