namespace LlamaSwap.Supervisor.Scheduling;

// Leases of a gateway that died mid-response would otherwise stay open forever and keep their
// models from ever being evicted. Its pending acquires need nothing: their connections drop.
internal sealed partial class ModelScheduler
{
    private void NoteGateway(PendingRequest request)
    {
        if (request.Gateway is { } gateway)
        {
            _gatewaysSeen[gateway] = _time.GetTimestamp();
        }
    }

    private void ExpireSilentGateways()
    {
        if (_gatewaysSeen.Count == 0)
        {
            return;
        }

        foreach (var (gateway, seen) in _gatewaysSeen.ToArray())
        {
            if (_time.GetElapsedTime(seen) < _gatewayTimeout)
            {
                continue;
            }

            _gatewaysSeen.Remove(gateway);
            var orphaned = _leases.Values.Where(l => l.Gateway == gateway).Select(l => l.Id).ToArray();
            if (orphaned.Length > 0)
            {
                Log.GatewaySilent(_logger, gateway, _gatewayTimeout.TotalSeconds, orphaned.Length);
                foreach (var leaseId in orphaned)
                {
                    OnRelease(leaseId);
                }
            }
        }
    }
}
