using LlamaSwap.Core.Processes;
using Microsoft.Extensions.Options;

namespace LlamaSwap.Supervisor.Processes;

/// <summary>Creates real OS-process handles. Owns the HTTP client every handle's health polls share.</summary>
internal sealed class UpstreamProcessFactory : IUpstreamProcessFactory, IDisposable
{
    private readonly ILoggerFactory _loggerFactory;
    private readonly TimeProvider _timeProvider;
    private readonly UpstreamOutput _output;
    private readonly UpstreamProcessOptions _options;
    private readonly HttpClient _healthClient;

    public UpstreamProcessFactory(
        ILoggerFactory loggerFactory,
        TimeProvider timeProvider,
        UpstreamOutput output,
        IOptions<UpstreamProcessOptions> options)
    {
        _loggerFactory = loggerFactory;
        _timeProvider = timeProvider;
        _output = output;
        _options = options.Value;

        // Upstreams are local: never route health polls through an HTTP(S)_PROXY from the environment.
        // Each attempt has its own short timeout (see UpstreamProcess), so the client has none.
        _healthClient = new HttpClient(new SocketsHttpHandler
        {
            UseProxy = false,
            ConnectTimeout = UpstreamProcess.HealthAttemptTimeout,

            // Never reuse a probe's connection (each probe also says Connection: close): see ProbeAsync.
            PooledConnectionLifetime = TimeSpan.Zero,
        })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };

        // In the background: nothing waits for it, and it must not slow the supervisor's start-up.
        _ = Task.Run(UpstreamProcess.WarmUpPortChecks);
    }

    public IUpstreamProcess Create(ProcessSpec spec) =>
        new UpstreamProcess(spec, _healthClient, _output, _timeProvider, _options.RunDirectory, _loggerFactory.CreateLogger<UpstreamProcess>());

    /// <summary>A handle on a leftover group another supervisor spawned (see <see cref="UpstreamProcess.Adopt"/>).</summary>
    public UpstreamProcess Adopt(ProcessSpec spec, UpstreamPidRecord record) =>
        UpstreamProcess.Adopt(spec, record, _healthClient, _output, _timeProvider, _options.RunDirectory, _loggerFactory.CreateLogger<UpstreamProcess>());

    /// <summary>Where pid records live (<c>LLAMASWAP_RUN_DIR</c>).</summary>
    public string RunDirectory => _options.RunDirectory;

    public void Dispose() => _healthClient.Dispose();
}
