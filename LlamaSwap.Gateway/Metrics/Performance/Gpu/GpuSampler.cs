namespace LlamaSwap.Gateway.Metrics.Performance.Gpu;

/// <summary>
/// One GPU reading per round from the source detected at start-up. A failing, hanging or garbled
/// source gives an empty round and is logged once per outage; the next round tries again.
/// </summary>
internal sealed partial class GpuSampler(PerformanceOptions options, TimeProvider time, ILogger logger)
{
    private IGpuSource? _source;
    private bool _failing;

    /// <summary>The detected source (detection runs on first use, off the request path).</summary>
    public IGpuSource Source
    {
        get
        {
            if (_source is null)
            {
                _source = GpuSourceDetector.Detect(options, time);
                Log.SourceDetected(logger, _source.Name);
            }

            return _source;
        }
    }

    public async Task<IReadOnlyList<GpuReading>> SampleAsync(CancellationToken cancellationToken)
    {
        var source = Source;
        try
        {
            var readings = await source.ReadAsync(time.GetUtcNow().UtcDateTime, cancellationToken);
            if (_failing)
            {
                _failing = false;
                Log.ReadRecovered(logger, source.Name);
            }

            return readings;
        }
        catch (GpuReadException ex)
        {
            if (!_failing)
            {
                _failing = true;
                Log.ReadFailed(logger, source.Name, ex.Message);
            }

            return [];
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1402, Level = LogLevel.Information, Message = "GPU statistics from {Source}")]
        public static partial void SourceDetected(ILogger logger, string source);

        [LoggerMessage(EventId = 1403, Level = LogLevel.Warning, Message = "Cannot read GPU statistics from {Source}: {Reason}; GPU samples are empty until it answers again")]
        public static partial void ReadFailed(ILogger logger, string source, string reason);

        [LoggerMessage(EventId = 1404, Level = LogLevel.Information, Message = "GPU statistics from {Source} are back")]
        public static partial void ReadRecovered(ILogger logger, string source);
    }
}
