using LlamaSwap.Gateway.Configuration;
using Microsoft.Extensions.Options;

namespace LlamaSwap.Gateway.Supervision;

/// <summary>
/// Keeps this gateway's leases valid at the supervisor. If the gateway dies, the heartbeats stop and
/// the supervisor releases its leases (default after 15 s), so no model stays pinned forever.
/// </summary>
internal sealed class SupervisorHeartbeat(SupervisorClient supervisor, TimeProvider time, IOptions<GatewayOptions> options) : IHostedService, IDisposable
{
    private ITimer? _timer;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var interval = TimeSpan.FromSeconds(Math.Max(0.1, options.Value.HeartbeatSeconds));
        _timer = time.CreateTimer(_ => supervisor.HeartbeatInBackground(), null, TimeSpan.Zero, interval);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose() => _timer?.Dispose();
}
