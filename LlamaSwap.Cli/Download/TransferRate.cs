namespace LlamaSwap.Cli.Download;

/// <summary>
/// Bytes per second over the last few seconds, so the speed and ETA follow the connection as it is
/// now rather than averaged since the start (or since a resume).
/// </summary>
internal sealed class TransferRate(TimeProvider clock, TimeSpan window)
{
    private static readonly TimeSpan MinimumSpan = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan SampleEvery = TimeSpan.FromMilliseconds(100);
    private readonly Queue<(long Timestamp, long Bytes)> _samples = new();
    private long _lastSample;

    /// <summary>Starts measuring from <paramref name="bytes"/> (bytes already there do not count as speed).</summary>
    public void Restart(long bytes)
    {
        _samples.Clear();
        _lastSample = clock.GetTimestamp();
        _samples.Enqueue((_lastSample, bytes));
    }

    public void Add(long bytes)
    {
        var now = clock.GetTimestamp();
        if (_samples.Count > 0 && clock.GetElapsedTime(_lastSample, now) < SampleEvery)
        {
            return; // bounded queue: at most window / SampleEvery samples
        }

        _lastSample = now;
        _samples.Enqueue((now, bytes));
        while (_samples.Count > 2 && clock.GetElapsedTime(_samples.Peek().Timestamp, now) > window)
        {
            _samples.Dequeue();
        }
    }

    /// <summary>Null until half a second has been measured.</summary>
    public double? BytesPerSecond(long bytes)
    {
        if (_samples.Count == 0)
        {
            return null;
        }

        var (since, from) = _samples.Peek();
        var elapsed = clock.GetElapsedTime(since);
        return elapsed < MinimumSpan ? null : (bytes - from) / elapsed.TotalSeconds;
    }
}
