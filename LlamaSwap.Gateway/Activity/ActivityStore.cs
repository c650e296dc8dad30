using LlamaSwap.Core.Configuration;
using LlamaSwap.Gateway.Configuration;

namespace LlamaSwap.Gateway.Activity;

/// <summary>
/// The last <c>metricsMaxInMemory</c> activity rows (reference 2.4.2), oldest pruned first; ids
/// increase from 1 for the life of the gateway. Written by the recorder only; read by the API.
/// </summary>
internal sealed class ActivityStore(ConfigHolder config)
{
    private readonly Lock _lock = new();
    private readonly Queue<ActivityEntry> _entries = new();
    private long _lastId;

    /// <summary>The id for the next row (the recorder numbers a row before storing its capture).</summary>
    public long NewId() => Interlocked.Increment(ref _lastId);

    public void Add(ActivityEntry entry)
    {
        var max = config.Current.Observability.MetricsMaxInMemory;
        if (max <= 0)
        {
            max = ObservabilityConfig.DefaultMetricsMaxInMemory;
        }

        lock (_lock)
        {
            _entries.Enqueue(entry);
            while (_entries.Count > max)
            {
                _entries.Dequeue();
            }
        }
    }

    /// <summary>Every kept row, oldest first.</summary>
    public ActivityEntry[] All()
    {
        lock (_lock)
        {
            return [.. _entries];
        }
    }
}
