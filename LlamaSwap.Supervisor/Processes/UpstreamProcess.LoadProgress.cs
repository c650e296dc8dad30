using LlamaSwap.Core.Contracts;

namespace LlamaSwap.Supervisor.Processes;

// Load progress: from spawn until the health check ends, how much of the model files the process
// tree has read or mapped (see LoadProgressMonitor).
internal sealed partial class UpstreamProcess
{
    /// <summary>Where the kernel's per-process files are.</summary>
    private const string ProcRoot = "/proc";

    public event Action<LoadProgress>? LoadProgressChanged;

    /// <summary>Samples the spawned tree until <paramref name="stop"/>; completed at once when the command names no model file.</summary>
    private Task MonitorLoadProgressAsync(CancellationToken stop)
    {
        if (Pid is not { } pid || Spec.CheckEndpoint is null)
        {
            return Task.CompletedTask;
        }

        var files = LoadProgressFiles.Find(Spec.Command);
        var total = files.Sum(f => f.Size);
        if (total <= 0)
        {
            return Task.CompletedTask;
        }

        Log.MeasuringLoad(_logger, Spec.ModelId, files.Count, total);
        var monitor = new LoadProgressMonitor(new LoadProgressProbe(ProcRoot, files).Sample, total, _timeProvider);
        return Task.Run(() => monitor.RunAsync(pid, progress => LoadProgressChanged?.Invoke(progress), stop), CancellationToken.None);
    }
}
