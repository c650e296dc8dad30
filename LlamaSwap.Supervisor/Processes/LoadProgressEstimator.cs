using LlamaSwap.Core.Contracts;

namespace LlamaSwap.Supervisor.Processes;

/// <summary>
/// Turns samples into a <see cref="LoadProgress"/>: the larger applicable figure capped at the total,
/// never decreasing, with an ETA from the rate over the last <see cref="RateWindow"/>. Pure (the
/// caller gives the timestamps), so tests drive it with plain numbers.
/// </summary>
internal sealed class LoadProgressEstimator(long totalBytes)
{
    /// <summary>Long enough to smooth a burst, short enough to follow a load that speeds up (page cache) or slows down.</summary>
    public static readonly TimeSpan RateWindow = TimeSpan.FromSeconds(3);

    private readonly Queue<(TimeSpan At, long Bytes)> _recent = new();
    private long _bytes;
    private string _source = LoadProgressSources.ProcIo;

    public long TotalBytes => totalBytes;

    /// <summary>The estimate after a sample taken at <paramref name="at"/> (any monotonic clock).</summary>
    public LoadProgress Add(TimeSpan at, LoadSample sample)
    {
        var (figure, source) = sample.MappedBytes > sample.ReadBytes
            ? (sample.MappedBytes, LoadProgressSources.Mmap)
            : (sample.ReadBytes, LoadProgressSources.ProcIo);
        figure = Math.Min(figure, totalBytes);
        if (figure > _bytes)
        {
            _bytes = figure;
            _source = source;
        }

        _recent.Enqueue((at, _bytes));
        while (_recent.Count > 2 && at - _recent.Peek().At > RateWindow)
        {
            _recent.Dequeue();
        }

        return new LoadProgress
        {
            Fraction = totalBytes > 0 ? (double)_bytes / totalBytes : 0,
            Bytes = _bytes,
            TotalBytes = totalBytes,
            EtaMs = Eta(at),
            Source = _source,
        };
    }

    private long? Eta(TimeSpan at)
    {
        if (_bytes >= totalBytes)
        {
            return 0;
        }

        var (since, bytesThen) = _recent.Peek();
        var elapsed = at - since;
        var moved = _bytes - bytesThen;
        if (elapsed <= TimeSpan.Zero || moved <= 0)
        {
            return null;
        }

        return (long)Math.Ceiling((totalBytes - _bytes) * elapsed.TotalMilliseconds / moved);
    }
}
