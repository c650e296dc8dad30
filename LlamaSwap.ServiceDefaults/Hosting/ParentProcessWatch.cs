using LlamaSwap.Core.Hosting;
using LlamaSwap.Core.Processes;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace LlamaSwap.ServiceDefaults.Hosting;

/// <summary>
/// Stops the service, gracefully, when the process that started it is gone (its parent PID
/// changes when it is re-parented). Without this, a launcher killed with SIGKILL would leave the
/// services running, and the supervisor's upstreams with them. Opt-in: the AppHost sets
/// <see cref="Switch"/> for the services it starts.
/// </summary>
internal sealed partial class ParentProcessWatch(
    IHostApplicationLifetime lifetime,
    TimeProvider time,
    ILogger<ParentProcessWatch> logger) : IHostedService, IDisposable
{
    public const string Switch = WiringEnvironment.ExitWithParent;

    private static readonly TimeSpan CheckInterval = TimeSpan.FromMilliseconds(500);

    private ITimer? _timer;
    private int _parent;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _parent = ProcFs.ReadStat(Environment.ProcessId)?.ParentProcessId ?? 0;
        if (_parent > 1)
        {
            _timer = time.CreateTimer(_ => Check(), null, CheckInterval, CheckInterval);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _timer?.Dispose();
        return Task.CompletedTask;
    }

    public void Dispose() => _timer?.Dispose();

    private void Check()
    {
        var current = ProcFs.ReadStat(Environment.ProcessId)?.ParentProcessId;
        if (current is { } parent && parent != _parent)
        {
            _timer?.Dispose();
            Log.ParentGone(logger, _parent);
            lifetime.StopApplication();
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 50, Level = LogLevel.Warning, Message = "The process that started this service ({Parent}) is gone: shutting down")]
        public static partial void ParentGone(ILogger logger, int parent);
    }
}
