namespace LlamaSwap.Gateway.Metrics.Performance;

/// <summary>
/// The last hour of samples behind <c>/api/performance</c> (llama-swap keeps the same window). The
/// sampler adds, requests only copy out: a request never waits for a sample to be taken. Entries
/// older than an hour go on every add and read, so the buffer stays bounded however long it runs.
/// </summary>
internal sealed class PerformanceHistory(TimeProvider time)
{
    public static readonly TimeSpan Window = TimeSpan.FromHours(1);

    private readonly Lock _lock = new();
    private readonly Queue<SysStat> _system = new();
    private readonly Queue<GpuStat> _gpus = new();
    private IReadOnlyList<GpuStat> _latestGpus = [];

    /// <summary>The GPUs of the latest round (empty when none or the last read failed), for <c>/metrics</c>.</summary>
    public IReadOnlyList<GpuStat> LatestGpus => Volatile.Read(ref _latestGpus);

    public void AddSystem(SysStat stat)
    {
        lock (_lock)
        {
            _system.Enqueue(stat);
            TrimLocked();
        }
    }

    public void AddGpus(IReadOnlyList<GpuStat> stats)
    {
        Volatile.Write(ref _latestGpus, stats);
        lock (_lock)
        {
            foreach (var stat in stats)
            {
                _gpus.Enqueue(stat);
            }

            TrimLocked();
        }
    }

    /// <summary>Everything sampled in the last hour, oldest first; with <paramref name="after"/> only what is newer.</summary>
    public (IReadOnlyList<SysStat> System, IReadOnlyList<GpuStat> Gpus) Read(DateTimeOffset? after = null)
    {
        lock (_lock)
        {
            TrimLocked();
            return after is { } since
                ? ([.. _system.Where(s => s.Timestamp > since.UtcDateTime)], [.. _gpus.Where(g => g.Timestamp > since.UtcDateTime)])
                : ([.. _system], [.. _gpus]);
        }
    }

    /// <summary>Forgets everything (performance turned off by a reload).</summary>
    public void Clear()
    {
        Volatile.Write(ref _latestGpus, []);
        lock (_lock)
        {
            _system.Clear();
            _gpus.Clear();
        }
    }

    private void TrimLocked()
    {
        var oldest = time.GetUtcNow().UtcDateTime - Window;
        while (_system.TryPeek(out var s) && s.Timestamp < oldest)
        {
            _system.Dequeue();
        }

        while (_gpus.TryPeek(out var g) && g.Timestamp < oldest)
        {
            _gpus.Dequeue();
        }
    }
}
