using LlamaSwap.Core.Contracts;
using LlamaSwap.Supervisor.Telemetry;

namespace LlamaSwap.Supervisor.Scheduling;

// Admission, collation, swap planning and grants (reference 3.6). Runs on the loop only.
internal sealed partial class ModelScheduler
{
    private void OnAcquire(PendingRequest request)
    {
        if (_shutdown is not null)
        {
            request.Completion.TrySetResult(AcquireOutcome.Failed(StatusCodes.Status500InternalServerError, "unspecific error: group is shutting down"));
            return;
        }

        if (!_models.TryGetValue(request.ModelId, out var model) || model.Removed)
        {
            request.Completion.TrySetResult(AcquireOutcome.Failed(StatusCodes.Status404NotFound, UnknownModelException.MessageFor(request.ModelId)));
            return;
        }

        if (model.Reserved >= model.Config.ConcurrencyLimit)
        {
            Log.ConcurrencyLimit(_logger, model.Id, model.Config.ConcurrencyLimit);
            request.Completion.TrySetResult(AcquireOutcome.Failed(StatusCodes.Status429TooManyRequests, "Too many requests", "concurrency_limit"));
            return;
        }

        model.Reserved++;
        _pending[request.RequestId] = request;
        request.QueueSpan = SupervisorTelemetry.StartDetached(SupervisorTelemetry.QueueWaitSpan, request.TraceParent, model.Id);
        NoteGateway(request);
        if (!TryDispatch(request))
        {
            Enqueue(request);
        }
    }

    /// <summary>Before the first queued request of strictly lower priority: FIFO among equals (reference 3.6).</summary>
    private void Enqueue(PendingRequest request)
    {
        var priority = _config.Scheduler.PriorityOf(request.ModelId);
        var index = _queue.FindIndex(queued => _config.Scheduler.PriorityOf(queued.ModelId) < priority);
        _queue.Insert(index < 0 ? _queue.Count : index, request);
    }

    /// <summary>Grants, joins a swap, or starts one; false when the request must wait in the queue.</summary>
    private bool TryDispatch(PendingRequest request)
    {
        var model = _models[request.ModelId];
        if (_swaps.TryGetValue(model.Id, out var joined))
        {
            joined.Waiters.Add(request);
            return true;
        }

        var evict = _planner.EvictionFor(model, RunningModels());
        var beingEvicted = _swaps.Values.Any(s => s.Evict.Contains(model.Id));
        if (model.State == ModelStates.Ready && evict.Count == 0 && !beingEvicted)
        {
            if (IsHeldForStarvingRequest(model))
            {
                return false;
            }

            Grant(request, loadMs: 0);
            return true;
        }

        if (beingEvicted || _swaps.Values.Any(s => evict.Contains(s.Target) || s.Evict.Overlaps(evict)))
        {
            return false;
        }

        // Never interrupt a request being served, nor evict a model inside its minimum loaded time.
        if (evict.Any(id => _models[id].InFlight > 0 || IsWithinMinLoaded(_models[id])))
        {
            return false;
        }

        StartSwap(model, evict, request);
        return true;
    }

    private IEnumerable<ModelRuntime> RunningModels() => _models.Values.Where(m => m.IsRunning || _swaps.ContainsKey(m.Id));

    /// <summary>
    /// Anti-starvation (<c>fifo.maxWait</c>): once a queued request has waited that long, new
    /// requests for a model its swap must evict queue behind it instead of taking the fast path,
    /// so the model drains and the swap happens.
    /// </summary>
    private bool IsHeldForStarvingRequest(ModelRuntime model)
    {
        var maxWait = _config.Scheduler.MaxWaitSeconds;
        if (maxWait <= 0 || _queue.Count == 0)
        {
            return false;
        }

        var limit = TimeSpan.FromSeconds(maxWait);
        foreach (var queued in _queue)
        {
            if (queued.ModelId != model.Id
                && _time.GetElapsedTime(queued.ArrivedAt) >= limit
                && _planner.EvictionFor(_models[queued.ModelId], RunningModels()).Contains(model.Id))
            {
                return true;
            }
        }

        return false;
    }

    private bool IsWithinMinLoaded(ModelRuntime model)
        => _config.Scheduler.MinLoadedSeconds > 0
           && model.State == ModelStates.Ready
           && _time.GetElapsedTime(model.ReadyAt) < TimeSpan.FromSeconds(_config.Scheduler.MinLoadedSeconds);

    private void StartSwap(ModelRuntime target, HashSet<string> evict, PendingRequest first)
    {
        _planner.OnSwapStart(target, RunningModels());
        var swap = new SwapOperation(target.Id, evict, _time.GetTimestamp());
        swap.Waiters.Add(first);
        _swaps.Add(target.Id, swap);
        if (evict.Count > 0)
        {
            Log.Swapping(_logger, target.Id, string.Join(", ", evict.Order(StringComparer.Ordinal)));
        }

        foreach (var id in evict)
        {
            var victim = _models[id];
            BeginStop(victim, TimeSpan.FromSeconds(victim.Config.UnloadTimeoutSeconds));
        }

        AdvanceSwap(swap);
    }

    /// <summary>Moves a swap on once its evictions are done: start the target, or finish if it is ready.</summary>
    private void AdvanceSwap(SwapOperation swap)
    {
        if (swap.Evict.Any(id => _models.TryGetValue(id, out var victim) && victim.IsRunning))
        {
            return;
        }

        var target = _models[swap.Target];
        switch (target.State)
        {
            case ModelStates.Ready:
                CompleteSwap(swap, error: null);
                break;
            case ModelStates.Stopped:
                swap.LoadStartedAt = _time.GetTimestamp();
                target.LoadSpan = SupervisorTelemetry.StartDetached(
                    SupervisorTelemetry.ModelLoadSpan, swap.Waiters.FirstOrDefault()?.TraceParent ?? default, target.Id);
                SupervisorTelemetry.RunUnder(target.LoadSpan, () => BeginStart(target));
                break;
            default:
                // Starting (ours) or stopping (a TTL/unload stop still finishing): a later message moves us on.
                break;
        }
    }

    private void CompleteSwap(SwapOperation swap, string? error)
    {
        _swaps.Remove(swap.Target);
        var loadMs = swap.LoadStartedAt is { } started ? _time.GetElapsedTime(started).TotalMilliseconds : 0;
        foreach (var waiter in swap.Waiters)
        {
            if (error is null)
            {
                Grant(waiter, loadMs);
            }
            else
            {
                Fail(waiter, StatusCodes.Status500InternalServerError, error);
            }
        }
    }

    private void Grant(PendingRequest request, double loadMs)
    {
        _pending.Remove(request.RequestId);
        var model = _models[request.ModelId];
        var lease = new Lease($"{model.Id}#{_incarnation}.{++_leaseCounter}", model.Id, request.RequestId, request.Gateway);
        _leases.Add(lease.Id, lease);
        _leaseByRequest[request.RequestId] = lease.Id;
        model.InFlight++;
        var waitedMs = _time.GetElapsedTime(request.ArrivedAt).TotalMilliseconds;
        var response = new AcquireResponse(lease.Id, model.Config.Proxy.ToString().TrimEnd('/'), Math.Max(0, waitedMs - loadMs), loadMs);
        request.QueueSpan?.SetTag("llamaswap.load_ms", loadMs);
        SupervisorTelemetry.Stop(request.QueueSpan);
        request.Completion.TrySetResult(AcquireOutcome.Granted(response));
    }

    private void Fail(PendingRequest request, int status, string message)
    {
        _pending.Remove(request.RequestId);
        ReleaseReservation(request.ModelId);
        SupervisorTelemetry.Stop(request.QueueSpan, message);
        request.Completion.TrySetResult(AcquireOutcome.Failed(status, message));
    }

    private void OnRelease(string leaseId)
    {
        if (!_leases.Remove(leaseId, out var lease))
        {
            return;
        }

        _leaseByRequest.Remove(lease.RequestId);
        if (!_models.TryGetValue(lease.ModelId, out var model))
        {
            // Removed by a reload and already stopped: nothing left to account.
            return;
        }

        model.InFlight--;
        model.Reserved--;
        model.LastUsed = _time.GetTimestamp();
        if (model.InFlight == 0)
        {
            Drain();
        }
    }

    private void OnCancel(string requestId)
    {
        if (_leaseByRequest.TryGetValue(requestId, out var leaseId))
        {
            OnRelease(leaseId);
            return;
        }

        if (!_pending.Remove(requestId, out var request))
        {
            return;
        }

        // No wasted load: a queued request that leaves never starts its model. A swap already under
        // way keeps going (the model will be wanted again, and TTL reclaims it otherwise).
        _queue.Remove(request);
        if (_swaps.TryGetValue(request.ModelId, out var swap))
        {
            swap.Waiters.Remove(request);
        }

        ReleaseReservation(request.ModelId);
        request.QueueSpan?.SetTag("llamaswap.outcome", "cancelled");
        SupervisorTelemetry.Stop(request.QueueSpan);
        request.Completion.TrySetResult(AcquireOutcome.CallerGone);
        Drain();
    }

    /// <summary>Re-offers every queued request, in order; those that still cannot proceed keep their place.</summary>
    private void Drain()
    {
        if (_queue.Count == 0)
        {
            return;
        }

        // Re-offered in queue order, which is already priority order; those that wait keep it.
        var queued = _queue.ToArray();
        _queue.Clear();
        foreach (var request in queued)
        {
            if (!TryDispatch(request))
            {
                _queue.Add(request);
            }
        }
    }

    private int? QueuePositionOf(string requestId)
    {
        if (!_pending.TryGetValue(requestId, out var request))
        {
            return null;
        }

        var index = _queue.IndexOf(request);
        return index >= 0 ? index + 1 : 0;
    }

    private void ReleaseReservation(string modelId)
    {
        if (_models.TryGetValue(modelId, out var model))
        {
            model.Reserved--;
        }
    }

    private void FailWaitingFor(string modelId, string message)
    {
        if (_swaps.Remove(modelId, out var swap))
        {
            foreach (var waiter in swap.Waiters)
            {
                Fail(waiter, StatusCodes.Status500InternalServerError, message);
            }
        }

        foreach (var request in _queue.Where(r => r.ModelId == modelId).ToArray())
        {
            _queue.Remove(request);
            Fail(request, StatusCodes.Status500InternalServerError, message);
        }
    }
}
