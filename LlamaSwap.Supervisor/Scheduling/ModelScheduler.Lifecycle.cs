using LlamaSwap.Core.Contracts;
using LlamaSwap.Supervisor.Processes;

namespace LlamaSwap.Supervisor.Scheduling;

// Process starts and stops, unexpected exits, TTL, unload and shutdown. Runs on the loop only; the
// process work itself runs on background tasks that post their outcome back.
internal sealed partial class ModelScheduler
{
    private void BeginStart(ModelRuntime model)
    {
        if (model.Config.DisabledReason is { } disabled)
        {
            OnStartFailed(model, disabled);
            return;
        }

        IUpstreamProcess process;
        try
        {
            process = _processes.Create(ProcessSpec.For(model.Config));
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
        {
            OnStartFailed(model, $"failed to start command '{model.Config.CmdText}': {ex.Message}");
            return;
        }

        var cancellation = new CancellationTokenSource();
        model.Process = process;
        model.StartCancellation = cancellation;
        SetState(model, ModelStates.Starting);
        Log.Starting(_logger, model.Id);
        process.LoadProgressChanged += progress => Post(new LoadProgressMessage(model.Id, process, progress));
        _ = Task.Run(async () =>
        {
            Exception? error = null;
            try
            {
                await process.StartAsync(cancellation.Token).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                error = ex;
            }

            Post(new StartCompletedMessage(model.Id, process, error));
            if (error is null)
            {
                var exit = await process.Exited.ConfigureAwait(false);
                Post(new ProcessExitedMessage(model.Id, process, exit));
            }
        });
    }

    private void OnLoadProgress(string modelId, IUpstreamProcess process, LoadProgress progress)
    {
        if (!_models.TryGetValue(modelId, out var model) || !ReferenceEquals(model.Process, process) || model.State != ModelStates.Starting)
        {
            // The start already ended (ready, failed, stopped): the state it published carries no progress.
            return;
        }

        model.LoadProgress = progress;
        Publish(model);
    }

    private void OnAdopt(IUpstreamProcess process)
    {
        var modelId = process.Spec.ModelId;
        if (_shutdown is not null || !_models.TryGetValue(modelId, out var model) || model.Removed || model.IsRunning)
        {
            Log.AdoptionRefused(_logger, modelId, process.Pid ?? 0);
            _ = process.DisposeAsync().AsTask();
            return;
        }

        model.Process = process;
        model.LastUsed = model.ReadyAt = _time.GetTimestamp();
        SetState(model, ModelStates.Ready);
        Log.Adopted(_logger, modelId, process.Pid ?? 0);
        _ = process.Exited.ContinueWith(exited => Post(new ProcessExitedMessage(modelId, process, exited.Result)), TaskScheduler.Default);
        Drain();
    }

    private void BeginStop(ModelRuntime model, TimeSpan gracefulTimeout)
    {
        if (model.State is ModelStates.Stopped or ModelStates.Stopping || model.Process is not { } process)
        {
            return;
        }

        model.StartCancellation?.Cancel();
        SetState(model, ModelStates.Stopping);
        Log.Stopping(_logger, model.Id, gracefulTimeout.TotalSeconds);
        _ = Task.Run(async () =>
        {
            try
            {
                await process.StopAsync(gracefulTimeout).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                Log.StopFailed(_logger, model.Id, ex);
            }

            Post(new StopCompletedMessage(model.Id, process));
        });
    }

    private void OnStartCompleted(string modelId, IUpstreamProcess process, Exception? error)
    {
        if (!_models.TryGetValue(modelId, out var model) || !ReferenceEquals(model.Process, process) || model.State != ModelStates.Starting)
        {
            // A stop (unload, shutdown) overtook this start; the stop's own message settles the state.
            return;
        }

        model.StartCancellation?.Dispose();
        model.StartCancellation = null;
        if (error is null)
        {
            model.LastUsed = model.ReadyAt = _time.GetTimestamp();
            SetState(model, ModelStates.Ready);
            Log.Ready(_logger, modelId, process.Pid ?? 0);
            if (_swaps.TryGetValue(modelId, out var swap))
            {
                CompleteSwap(swap, error: null);
            }
        }
        else
        {
            model.Process = null;
            _ = process.DisposeAsync().AsTask();
            OnStartFailed(model, error is UpstreamStartException ? error.Message : $"{error.GetType().Name}: {error.Message}");
            return;
        }

        Drain();
    }

    private void OnStartFailed(ModelRuntime model, string reason)
    {
        Log.StartFailed(_logger, model.Id, reason);
        SetState(model, ModelStates.Stopped);
        if (_swaps.TryGetValue(model.Id, out var swap))
        {
            CompleteSwap(swap, $"unspecific error: {reason}");
        }

        Drain();
    }

    private void OnStopCompleted(string modelId, IUpstreamProcess process)
    {
        if (!_models.TryGetValue(modelId, out var model) || !ReferenceEquals(model.Process, process))
        {
            return;
        }

        model.Process = null;
        model.StartCancellation?.Dispose();
        model.StartCancellation = null;
        _ = process.DisposeAsync().AsTask();
        SetState(model, ModelStates.Stopped);
        Log.Stopped(_logger, modelId);
        ForgetIfRemovedAndStopped(model);
        foreach (var swap in _swaps.Values.ToArray())
        {
            AdvanceSwap(swap);
        }

        CompleteUnloads();
        Drain();
    }

    private void OnProcessExited(string modelId, IUpstreamProcess process, UpstreamExit exit)
    {
        if (!_models.TryGetValue(modelId, out var model) || !ReferenceEquals(model.Process, process) || model.State != ModelStates.Ready)
        {
            return;
        }

        // No automatic restart: the next request starts it again (reference 3.12). Requests being
        // served see the upstream connection fail (502) and release their leases as usual; the log says why.
        Log.ExitedUnexpectedly(_logger, modelId, exit.Describe(), exit.LastOutputText);
        model.Process = null;
        _ = process.DisposeAsync().AsTask();
        SetState(model, ModelStates.Stopped);
        ForgetIfRemovedAndStopped(model);
        CompleteUnloads();
        Drain();
    }

    private void OnTtlTick()
    {
        if (_config.Scheduler.MinLoadedSeconds > 0)
        {
            // Nothing else happens when a minimum loaded time runs out: re-offer what waits on it.
            Drain();
        }

        foreach (var model in _models.Values)
        {
            var ttl = model.Config.TtlSeconds;
            if (ttl <= 0 || model.State != ModelStates.Ready || model.Reserved > 0 || _swaps.ContainsKey(model.Id))
            {
                continue;
            }

            if (_time.GetElapsedTime(model.LastUsed) >= TimeSpan.FromSeconds(ttl))
            {
                Log.TtlReached(_logger, model.Id, ttl);
                BeginStop(model, TimeSpan.FromSeconds(model.Config.UnloadTimeoutSeconds));
            }
        }
    }

    private void OnUnload(string? modelId, TaskCompletionSource completion)
    {
        IReadOnlyList<string> targets = modelId is null ? [.. _models.Keys] : [modelId];
        foreach (var id in targets)
        {
            if (!_models.TryGetValue(id, out var model))
            {
                completion.TrySetException(new UnknownModelException(id));
                return;
            }

            FailWaitingFor(id, "unspecific error: group: model unloaded");
            BeginStop(model, TimeSpan.FromSeconds(model.Config.UnloadTimeoutSeconds));
        }

        _unloads.Add((targets, completion));
        CompleteUnloads();
        Drain();
    }

    private void OnShutdown(TaskCompletionSource completion)
    {
        _shutdown = completion;
        _ttlTimer?.Dispose();
        foreach (var id in _models.Keys)
        {
            FailWaitingFor(id, "unspecific error: group is shutting down");
        }

        foreach (var model in _models.Values)
        {
            // Shutdown has a budget: never wait longer than 10 s per model before SIGKILL.
            var grace = TimeSpan.FromSeconds(Math.Min(model.Config.UnloadTimeoutSeconds, 10));
            BeginStop(model, grace);
        }

        CompleteUnloads();
    }

    private void CompleteUnloads()
    {
        for (var i = _unloads.Count - 1; i >= 0; i--)
        {
            var (models, completion) = _unloads[i];
            if (models.All(id => !_models.TryGetValue(id, out var model) || !model.IsRunning))
            {
                _unloads.RemoveAt(i);
                completion.TrySetResult();
            }
        }

        if (_shutdown is not null && _models.Values.All(m => !m.IsRunning))
        {
            _shutdown.TrySetResult();
        }
    }
}
