using LlamaSwap.Core.Contracts;

namespace LlamaSwap.Supervisor.Processes;

/// <summary>
/// Samples a starting upstream's process tree every <see cref="Interval"/> until stopped (the start
/// ended: healthy, failed or cancelled) and reports an estimate only when it changed, so the owner
/// loop and Redis get at most one progress update per interval per starting model, and none while a
/// load stalls. Runs on its own task: a slow <c>/proc</c> read delays a sample, never the scheduler.
/// </summary>
/// <param name="sample">One look at the tree under a root pid (<see cref="LoadProgressProbe.Sample"/>).</param>
internal sealed class LoadProgressMonitor(Func<int, LoadSample> sample, long totalBytes, TimeProvider time)
{
    /// <summary>Often enough for a bar that moves smoothly, rarely enough that reading smaps costs nothing (well under 1 ms a sample).</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);

    /// <summary>The fraction a change must reach to be reported (0.1 %), so byte-level jitter is not news.</summary>
    private const double FractionStep = 0.001;

    /// <summary>Samples until <paramref name="stop"/> is cancelled; never throws (a failed sample is skipped).</summary>
    public async Task RunAsync(int pid, Action<LoadProgress> report, CancellationToken stop)
    {
        var estimator = new LoadProgressEstimator(totalBytes);
        var started = time.GetTimestamp();
        LoadProgress? last = null;
        using var timer = new PeriodicTimer(Interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false))
            {
                var progress = estimator.Add(time.GetElapsedTime(started), sample(pid));
                if (IsNews(last, progress))
                {
                    last = progress;
                    report(progress);
                }

                if (progress.Fraction >= 1)
                {
                    // Everything is in: nothing more to see until the upstream says it is ready.
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The start ended.
        }
    }

    internal static bool IsNews(LoadProgress? last, LoadProgress next)
        => last is null
            ? next.Bytes > 0
            : next.Fraction - last.Fraction >= FractionStep || (next.Fraction >= 1 && last.Fraction < 1) || (next.EtaMs is null) != (last.EtaMs is null);
}
