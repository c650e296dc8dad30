using LlamaSwap.Core.Contracts;
using LlamaSwap.Supervisor.Processes;

namespace LlamaSwap.Tests.Supervisor.Scheduling;

/// <summary>A process whose start and exit the test controls; records stops.</summary>
internal sealed class FakeUpstreamProcess(ProcessSpec spec, bool autoStart) : IUpstreamProcess
{
    private static int s_pid = 40000;

    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<UpstreamExit> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ProcessSpec Spec { get; } = spec;

    public int? Pid { get; private set; }

    public Task<UpstreamExit> Exited => _exited.Task;

    public bool StopRequested { get; private set; }

    public TimeSpan? StopGrace { get; private set; }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        Pid = Interlocked.Increment(ref s_pid);
        if (autoStart)
        {
            return;
        }

        await _started.Task.WaitAsync(cancellationToken);
    }

    public void CompleteStart() => _started.TrySetResult();

    public event Action<LoadProgress>? LoadProgressChanged;

    /// <summary>As the real handle's load monitor would while starting.</summary>
    public void ReportLoadProgress(LoadProgress progress) => LoadProgressChanged?.Invoke(progress);

    public void FailStart(string message) => _started.TrySetException(new UpstreamStartException(message));

    public void Crash(params string[] lastOutput) => _exited.TrySetResult(new UpstreamExit(137, lastOutput));

    public Task StopAsync(TimeSpan gracefulTimeout, CancellationToken cancellationToken = default)
    {
        StopRequested = true;
        StopGrace = gracefulTimeout;
        _exited.TrySetResult(new UpstreamExit(0, []));
        return Task.CompletedTask;
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

internal sealed class FakeUpstreamProcessFactory(bool autoStart = true) : IUpstreamProcessFactory
{
    private readonly Lock _gate = new();
    private readonly List<FakeUpstreamProcess> _created = [];

    public IReadOnlyList<FakeUpstreamProcess> Created
    {
        get
        {
            lock (_gate)
            {
                return [.. _created];
            }
        }
    }

    public int StartsOf(string modelId) => Created.Count(p => p.Spec.ModelId == modelId);

    public FakeUpstreamProcess Latest(string modelId) => Created.Last(p => p.Spec.ModelId == modelId);

    public IUpstreamProcess Create(ProcessSpec spec)
    {
        var process = new FakeUpstreamProcess(spec, autoStart);
        lock (_gate)
        {
            _created.Add(process);
        }

        return process;
    }
}
