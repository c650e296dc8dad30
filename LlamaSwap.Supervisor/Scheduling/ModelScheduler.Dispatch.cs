using LlamaSwap.Core.Contracts;

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

        if (!_models.TryGetValue(request.ModelId, out var model))
        {
            request.Completion.TrySetResult(AcquireOutcome.Failed(StatusCodes.Status404NotFound, "no local server found for requested model"));
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
        if (!TryDispatch(request))
        {
            _queue.Add(request);
        }
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

        var running = _models.Values.Where(m => m.IsRunning || _swaps.ContainsKey(m.Id));
        var evict = GroupSwapPlanner.EvictionFor(model, running);
        var beingEvicted = _swaps.Values.Any(s => s.Evict.Contains(model.Id));
        if (model.State == ModelStates.Ready && evict.Count == 0 && !beingEvicted)
        {
            Grant(request, loadMs: 0);
            return true;
        }

        if (beingEvicted || _swaps.Values.Any(s => evict.Contains(s.Target) || s.Evict.Overlaps(evict)))
        {
            return false;
        }

        // Never interrupt a request being served: wait until the models to evict are idle.
        if (evict.Any(id => _models[id].InFlight > 0))
        {
            return false;
        }

        StartSwap(model, evict, request);
        return true;
    }

    private void StartSwap(ModelRuntime target, HashSet<string> evict, PendingRequest first)
    {
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
        if (swap.Evict.Any(id => _models[id].IsRunning))
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
                BeginStart(target);
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
        var lease = new Lease($"{model.Id}#{++_leaseCounter}", model.Id, request.RequestId);
        _leases.Add(lease.Id, lease);
        _leaseByRequest[request.RequestId] = lease.Id;
        model.InFlight++;
        var waitedMs = _time.GetElapsedTime(request.ArrivedAt).TotalMilliseconds;
        var response = new AcquireResponse(lease.Id, model.Config.Proxy.ToString().TrimEnd('/'), Math.Max(0, waitedMs - loadMs), loadMs);
        request.Completion.TrySetResult(AcquireOutcome.Granted(response));
    }

    private void Fail(PendingRequest request, int status, string message)
    {
        _pending.Remove(request.RequestId);
        _models[request.ModelId].Reserved--;
        request.Completion.TrySetResult(AcquireOutcome.Failed(status, message));
    }

    private void OnRelease(string leaseId)
    {
        if (!_leases.Remove(leaseId, out var lease))
        {
            return;
        }

        _leaseByRequest.Remove(lease.RequestId);
        var model = _models[lease.ModelId];
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

        _models[request.ModelId].Reserved--;
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
