using System.Collections.Concurrent;
using System.Diagnostics;
using LlamaSwap.Core.Configuration;
using LlamaSwap.Core.Contracts;
using LlamaSwap.Supervisor.Processes;
using LlamaSwap.Supervisor.Telemetry;

namespace LlamaSwap.Supervisor.Scheduling;

/// <summary>
/// The one owner of model lifecycle state (reference 3.5/3.6). Callers only post messages; a single
/// loop admits requests, collates them behind swaps, plans evictions, starts and stops processes and
/// grants leases. Process work runs on background tasks that report back with messages, so the loop
/// never blocks and no state is shared under locks.
/// </summary>
/// <remarks>
/// The loop is a mailbox drained by whichever thread posts while nobody else is draining: messages
/// are still handled one at a time and in order, but an acquire for a ready model is granted on the
/// caller's own thread, without waking another thread (a hop that cost tens of microseconds per
/// request on a busy two-core machine).
/// </remarks>
internal sealed partial class ModelScheduler : IAsyncDisposable
{
    private readonly ConcurrentQueue<SchedulerMessage> _inbox = new();

    private readonly Dictionary<string, ModelRuntime> _models = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SwapOperation> _swaps = new(StringComparer.Ordinal);
    private readonly List<PendingRequest> _queue = [];
    private readonly Dictionary<string, PendingRequest> _pending = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Lease> _leases = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _leaseByRequest = new(StringComparer.Ordinal);
    private readonly List<(IReadOnlyList<string> Models, TaskCompletionSource Completion)> _unloads = [];
    private readonly ConcurrentDictionary<string, ModelStateRecord> _snapshot = new(StringComparer.Ordinal);

    private LlamaSwapConfig _config;
    private ISwapPlanner _planner;
    private readonly IUpstreamProcessFactory _processes;
    private readonly StatePublisher _publisher;
    private readonly TimeProvider _time;
    private readonly ILogger<ModelScheduler> _logger;
    private readonly string _supervisorName = $"{Environment.MachineName}:{Environment.ProcessId}";

    // In every lease id: a gateway's late release of a lease a crashed predecessor granted (its stream
    // outlived that supervisor) must not release a lease of ours that got the same counter value.
    private readonly string _incarnation = Guid.NewGuid().ToString("N")[..8];

    private readonly Dictionary<string, long> _gatewaysSeen = new(StringComparer.Ordinal);
    private readonly TimeSpan _gatewayTimeout;
    private int _draining;
    private ITimer? _ttlTimer;
    private TaskCompletionSource? _shutdown;
    private long _leaseCounter;

    public ModelScheduler(
        LlamaSwapConfig config,
        IUpstreamProcessFactory processes,
        StatePublisher publisher,
        TimeProvider time,
        ILogger<ModelScheduler> logger,
        TimeSpan? gatewayTimeout = null)
    {
        _gatewayTimeout = gatewayTimeout ?? DefaultGatewayTimeout;
        _config = config;
        _planner = ISwapPlanner.For(config, logger);
        _processes = processes;
        _publisher = publisher;
        _time = time;
        _logger = logger;
        foreach (var model in config.Models.Values)
        {
            var runtime = new ModelRuntime(model, config.GroupOf(model.Id)) { Since = time.GetUtcNow() };
            _models.Add(model.Id, runtime);
        }
    }

    /// <summary>How long a gateway may be silent (no heartbeat, no acquire) before its leases are released.</summary>
    public static TimeSpan DefaultGatewayTimeout { get; } = TimeSpan.FromSeconds(15);

    /// <summary>How often idle TTLs are checked.</summary>
    public static TimeSpan TtlCheckInterval { get; } = TimeSpan.FromSeconds(1);

    /// <summary>Starts the loop and the TTL ticker, and publishes every model's initial state.</summary>
    public void Start()
    {
        foreach (var model in _models.Values)
        {
            Publish(model);
        }

        _ttlTimer = _time.CreateTimer(_ => Post(new TtlTickMessage()), null, TtlCheckInterval, TtlCheckInterval);
    }

    /// <summary>Waits for a ready upstream and a serving slot; the caller must release the lease.</summary>
    public async Task<AcquireOutcome> AcquireAsync(string modelId, string requestId, CancellationToken cancellationToken, string? gateway = null)
    {
        var request = new PendingRequest(requestId, modelId, _time.GetTimestamp(), gateway)
        {
            TraceParent = Activity.Current?.Context ?? default,
        };
        Post(new AcquireMessage(request));
        // Cancel both drops a queued request and releases a lease granted in the same instant.
        await using var registration = cancellationToken.Register(() => Post(new CancelMessage(requestId)));
        return await request.Completion.Task.ConfigureAwait(false);
    }

    public void Release(string leaseId) => Post(new ReleaseMessage(leaseId));

    /// <summary>
    /// Takes on a running upstream a crashed supervisor left (see <c>LeftoverUpstreams</c>) as its
    /// model's ready process; stopped instead if the model cannot take it (removed, already running).
    /// </summary>
    public void Adopt(IUpstreamProcess process) => Post(new AdoptMessage(process));

    /// <summary>1-based place of a waiting request in the queue, 0 when it waits on its model's load, null when not waiting.</summary>
    public Task<int?> QueuePositionAsync(string requestId)
    {
        var completion = new TaskCompletionSource<int?>(TaskCreationOptions.RunContinuationsAsynchronously);
        Post(new QueuePositionMessage(requestId, completion));
        return completion.Task;
    }

    /// <summary>A gateway's heartbeat: its leases stay valid.</summary>
    public void GatewayAlive(string gateway) => Post(new GatewayAliveMessage(gateway));

    public void Cancel(string requestId) => Post(new CancelMessage(requestId));

    /// <summary>Stops one model (or all when null) and completes when it has stopped; faults with <see cref="UnknownModelException"/> for an id it has no model for.</summary>
    public Task UnloadAsync(string? modelId)
    {
        var completion = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Post(new UnloadMessage(modelId, completion));
        return completion.Task;
    }

    /// <summary>Fails everything waiting, stops every process, and completes when all have stopped.</summary>
    public Task ShutdownAsync()
    {
        var completion = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Post(new ShutdownMessage(completion));
        return completion.Task;
    }

    /// <summary>Completes when the loop has handled everything posted so far.</summary>
    internal Task ProbeAsync()
    {
        var completion = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Post(new ProbeMessage(completion));
        return completion.Task;
    }

    /// <summary>The config in force (replaced by <see cref="ReconfigureAsync"/>); safe to read from any thread.</summary>
    public LlamaSwapConfig Config => Volatile.Read(ref _config);

    /// <summary>
    /// Applies a reloaded config: models removed from it, or whose process settings changed, are
    /// stopped; every other model keeps running, with its in-flight requests, under the new settings.
    /// </summary>
    public Task<ReloadSummary> ReconfigureAsync(LlamaSwapConfig next)
    {
        var completion = new TaskCompletionSource<ReloadSummary>(TaskCreationOptions.RunContinuationsAsynchronously);
        Post(new ReconfigureMessage(next, completion));
        return completion.Task;
    }

    /// <summary>The latest published state of every model (safe to read from any thread).</summary>
    public IReadOnlyList<ModelStateRecord> Snapshot()
        => [.. _snapshot.Values.OrderBy(r => r.Model, StringComparer.Ordinal)];

    public async ValueTask DisposeAsync()
    {
        if (_ttlTimer is not null)
        {
            await _ttlTimer.DisposeAsync().ConfigureAwait(false);
        }
    }

    private void Post(SchedulerMessage message)
    {
        _inbox.Enqueue(message);
        // Become the loop unless another thread is it. Re-check after letting go: a message enqueued
        // between our last dequeue and the release would otherwise wait for the next post.
        while (!_inbox.IsEmpty && Interlocked.CompareExchange(ref _draining, 1, 0) == 0)
        {
            try
            {
                while (_inbox.TryDequeue(out var next))
                {
                    HandleSafely(next);
                }
            }
            finally
            {
                Volatile.Write(ref _draining, 0);
            }
        }
    }

    private void HandleSafely(SchedulerMessage message)
    {
        try
        {
            Handle(message);
        }
        catch (Exception ex)
        {
            // A bug in one handler must not stop the only owner of model state; it is logged as critical.
            Log.HandlerFailed(_logger, message.GetType().Name, ex);
        }
    }

    private void Handle(SchedulerMessage message)
    {
        switch (message)
        {
            case AcquireMessage m: OnAcquire(m.Request); break;
            case CancelMessage m: OnCancel(m.RequestId); break;
            case ReleaseMessage m: OnRelease(m.LeaseId); break;
            case UnloadMessage m: OnUnload(m.ModelId, m.Completion); break;
            case AdoptMessage m: OnAdopt(m.Process); break;
            case StartCompletedMessage m: OnStartCompleted(m.ModelId, m.Process, m.Error); break;
            case StopCompletedMessage m: OnStopCompleted(m.ModelId, m.Process); break;
            case ProcessExitedMessage m: OnProcessExited(m.ModelId, m.Process, m.Exit); break;
            case LoadProgressMessage m: OnLoadProgress(m.ModelId, m.Process, m.Progress); break;
            case TtlTickMessage: OnTtlTick(); ExpireSilentGateways(); break;
            case GatewayAliveMessage m: _gatewaysSeen[m.Gateway] = _time.GetTimestamp(); break;
            case QueuePositionMessage m: m.Completion.TrySetResult(QueuePositionOf(m.RequestId)); break;
            case ShutdownMessage m: OnShutdown(m.Completion); break;
            case ProbeMessage m: m.Completion.TrySetResult(); break;
            case ReconfigureMessage m: OnReconfigure(m.Config, m.Completion); break;
            default: throw new InvalidOperationException($"unknown message {message.GetType().Name}");
        }
    }

    private void Publish(ModelRuntime model)
    {
        var record = new ModelStateRecord
        {
            Model = model.Id,
            State = model.State,
            Proxy = model.Config.Proxy.ToString().TrimEnd('/'),
            Cmd = model.Config.CmdText,
            Pid = model.State == ModelStates.Stopped ? null : model.Process?.Pid,
            Since = model.Since,
            Ttl = model.Config.TtlSeconds,
            Name = model.Config.Name,
            Description = model.Config.Description,
            Supervisor = _supervisorName,
            Progress = model.State == ModelStates.Starting ? model.LoadProgress : null,
        };
        _snapshot[model.Id] = record;
        _publisher.Enqueue(record);
    }

    private void SetState(ModelRuntime model, string state)
    {
        model.State = state;
        model.Since = _time.GetUtcNow();
        model.LoadProgress = null;
        if (model.LoadSpan is { } load && state != ModelStates.Starting)
        {
            // Whatever ends a start (healthy, failed, stopped meanwhile) ends its span.
            model.LoadSpan = null;
            load.SetTag("llamaswap.model.state", state);
            SupervisorTelemetry.Stop(load, state == ModelStates.Ready ? null : $"model did not become ready ({state})");
        }

        Publish(model);
    }
}
