using System.Net;
using System.Runtime.InteropServices;
using LlamaSwap.AppHost.Cli;
using LlamaSwap.AppHost.Demo;
using LlamaSwap.AppHost.Hosting;
using LlamaSwap.AppHost.Processes;
using LlamaSwap.AppHost.Redis;
using LlamaSwap.AppHost.Resources;
using LlamaSwap.Core.Processes;
using Microsoft.Extensions.Logging;

namespace LlamaSwap.AppHost.Run;

/// <summary>
/// Runs the application locally: starts each resource in order and waits until it is healthy, then
/// waits for a signal or an unexpected exit, and stops everything in reverse order.
/// </summary>
internal sealed partial class RunCommand(RunOptions options, BuildLayout layout, OutputMultiplexer output, ILoggerFactory loggerFactory)
{
    private static readonly TimeSpan StartDeadline = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan ExternalRedisDeadline = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan StopGracePeriod = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);

    private readonly ILogger _logger = loggerFactory.CreateLogger<RunCommand>();
    private readonly List<ChildProcess> _children = [];
    private ChildProcess? _redis;
    private string _runDirectory = "";

    public async Task<int> RunAsync()
    {
        using var signals = new ShutdownSignals();
        if (!PreflightChecks())
        {
            return ExitCodes.Failure;
        }

        StaleRunSweeper.Sweep(_logger);
        var runDirectory = StaleRunSweeper.RunDirectoryOf(Environment.ProcessId);
        Directory.CreateDirectory(runDirectory);
        _runDirectory = runDirectory;
        try
        {
            return await RunCoreAsync(signals, runDirectory);
        }
        finally
        {
            await StopAllAsync(runDirectory, signals.Forced);
            TryDelete(runDirectory);
        }
    }

    private async Task<int> RunCoreAsync(ShutdownSignals signals, string runDirectory)
    {
        // --config-dir alone is a real config: the services then get an empty LLAMASWAP_CONFIG.
        var isDemo = options.ConfigPath is null && options.ConfigDir is null;
        var configPath = options.ConfigPath
            ?? (isDemo ? DemoConfig.Write(runDirectory, layout.ProjectDll(DemoConfig.UpstreamProjectDirectory)) : string.Empty);

        var ports = new Dictionary<string, int>
        {
            [AppModel.Supervisor] = options.SupervisorPort ?? Ports.FreeLoopbackPort(),
            [AppModel.Gateway] = options.GatewayPort,
            [AppModel.AuthProxy] = options.ProxyPort,
        };
        var model = AppModel.Create(ports[AppModel.Supervisor], options.GatewayPort, options.ProxyPort);

        var redis = RedisProvisioner.Plan(options.RedisConnectionString, Ports.FreeLoopbackPort(), layout.RepoRoot);
        try
        {
            await RedisProvisioner.PrepareAsync(redis, signals.Requested);
        }
        catch (InvalidOperationException ex)
        {
            Log.RedisUnavailable(_logger, ex.Message);
            return ExitCodes.Failure;
        }

        var wiring = new LocalWiringTarget(
            ports,
            redis.ConnectionString,
            configPath,
            runDirectory,
            Environment.GetEnvironmentVariable(ResourceEnvironment.OtelEndpoint) is { Length: > 0 } otlp ? otlp : null);

        // SIGHUP reloads the config: each service validates it and applies only what changed.
        using var hangup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, context =>
        {
            context.Cancel = true;
            foreach (var child in _children)
            {
                PosixSignals.SignalProcess(child.Pid, PosixSignals.SigHup);
            }
        });
        foreach (var resource in RunPlan.Build(model, wiring, ports, redis, layout, options.WatchConfig, options.ConfigDir))
        {
            var outcome = await StartAsync(resource, signals.Requested);
            if (outcome != StartOutcome.Ready)
            {
                return outcome == StartOutcome.Cancelled ? ExitCodes.Success : ExitCodes.Failure;
            }
        }

        Banner.Write(output, ports, redis, configPath, options.ConfigDir, isDemo);
        return await WaitForShutdownAsync(signals);
    }

    private bool PreflightChecks()
    {
        var ok = true;
        foreach (var project in new[] { "LlamaSwap.Supervisor", "LlamaSwap.Gateway", "LlamaSwap.AuthProxy", DemoConfig.UpstreamProjectDirectory })
        {
            var dll = layout.ProjectDll(project);
            if (!File.Exists(dll))
            {
                Log.NotBuilt(_logger, dll);
                ok = false;
            }
        }

        ok &= CheckPort("--port", IPAddress.Loopback, options.GatewayPort);
        ok &= CheckPort("--proxy-port", IPAddress.Any, options.ProxyPort);
        if (options.SupervisorPort is { } supervisorPort)
        {
            ok &= CheckPort("--supervisor-port", IPAddress.Loopback, supervisorPort);
        }

        return ok;
    }

    private bool CheckPort(string option, IPAddress address, int port)
    {
        if (Ports.IsFree(address, port))
        {
            return true;
        }

        Log.PortInUse(_logger, port, option);
        return false;
    }

    private async Task<StartOutcome> StartAsync(RunnableResource resource, CancellationToken shutdown)
    {
        ChildProcess? child = null;
        if (resource.Launch is { } launch)
        {
            Log.Starting(_logger, resource.Name, launch.ToString());
            child = ChildProcess.Start(resource.Name, launch, output);
            // If we are killed outright, the next AppHost finds and kills what we started.
            UpstreamPidRecords.Write(StaleRunSweeper.ChildRecordsOf(_runDirectory), child.Pid, resource.Name);
            if (resource.Name == AppModel.Redis)
            {
                _redis = child;
            }
            else
            {
                _children.Add(child);
            }
        }

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = child is null ? ExternalRedisDeadline : StartDeadline;
        using var deadlineCts = CancellationTokenSource.CreateLinkedTokenSource(shutdown);
        deadlineCts.CancelAfter(deadline);
        try
        {
            while (!await resource.Health.CheckAsync(http, deadlineCts.Token))
            {
                if (child is { Exited.IsCompleted: true })
                {
                    Log.ExitedDuringStart(_logger, resource.Name, child.Exited.Result);
                    ReportRecentLines(child);
                    return StartOutcome.Failed;
                }

                await Task.Delay(PollInterval, deadlineCts.Token);
            }
        }
        catch (OperationCanceledException) when (shutdown.IsCancellationRequested)
        {
            return StartOutcome.Cancelled;
        }
        catch (OperationCanceledException)
        {
            if (child is null)
            {
                // Someone else's Redis: the services reconnect on their own, so start anyway.
                Log.ExternalRedisUnreachable(_logger, resource.Health.Target);
                return StartOutcome.Ready;
            }

            Log.NotHealthy(_logger, resource.Name, resource.Health.Target, (int)deadline.TotalSeconds);
            ReportRecentLines(child);
            return StartOutcome.Failed;
        }

        Log.Ready(_logger, resource.Name, resource.Health.Target);
        return StartOutcome.Ready;
    }

    private async Task<int> WaitForShutdownAsync(ShutdownSignals signals)
    {
        var running = _children.Append(_redis).OfType<ChildProcess>().ToList();
        var anyExited = Task.WhenAny(running.Select(async child => { await child.Exited; return child; }));
        var signalled = Task.Delay(Timeout.Infinite, signals.Requested);

        if (await Task.WhenAny(anyExited, signalled) == signalled)
        {
            Log.ShuttingDown(_logger, signals.FirstSignal?.ToString() ?? "signal");
            return ExitCodes.Success;
        }

        var died = await await anyExited;
        Log.DiedUnexpectedly(_logger, died.Name, died.Exited.Result);
        ReportRecentLines(died);
        return ExitCodes.Failure;
    }

    /// <summary>
    /// Front door first, so no new request reaches a half-stopped back end; the upstreams the
    /// supervisor recorded are reaped after it, in case it died without stopping them; Redis last.
    /// </summary>
    private async Task StopAllAsync(string runDirectory, CancellationToken force)
    {
        for (var i = _children.Count - 1; i >= 0; i--)
        {
            await StopAsync(_children[i], force);
        }

        try
        {
            var reaped = UpstreamPidRecords.ReapLeftovers(runDirectory, _logger);
            if (reaped > 0)
            {
                Log.ReapedUpstreams(_logger, reaped);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Log.ReapFailed(_logger, ex.Message);
        }

        if (_redis is not null)
        {
            await StopAsync(_redis, force);
        }
    }

    private async Task StopAsync(ChildProcess child, CancellationToken force)
    {
        var wasRunning = !child.Exited.IsCompleted;
        var graceful = await child.StopAsync(StopGracePeriod, force);
        if (!wasRunning)
        {
            return;
        }

        if (graceful)
        {
            Log.Stopped(_logger, child.Name);
        }
        else
        {
            Log.Killed(_logger, child.Name, (int)StopGracePeriod.TotalSeconds);
        }
    }

    private void ReportRecentLines(ChildProcess child)
    {
        var lines = child.RecentLines();
        Log.RecentOutput(_logger, child.Name, lines.Count);
        foreach (var line in lines)
        {
            output.WriteLine(child.Name, line);
        }
    }

    private void TryDelete(string runDirectory)
    {
        try
        {
            Directory.Delete(runDirectory, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Log.RunDirectoryKept(_logger, runDirectory, ex.Message);
        }
    }

    private enum StartOutcome
    {
        Ready,
        Failed,
        Cancelled,
    }
}
