using LlamaSwap.Core.Configuration.Reporting;
using LlamaSwap.Core.Hosting;
using LlamaSwap.Core.Processes;

namespace LlamaSwap.Cli.Start;

/// <summary>
/// Runs one <see cref="StackPlan"/>: Redis, then the three services at once, each ready when its
/// <c>/health</c> answers; a service that dies afterwards is started again; on stop they go in
/// request-path order (auth proxy, gateway, supervisor, which stops its upstreams), Redis last.
/// A service that dies before it is ready (a config it refuses, a port in use) ends the run.
/// </summary>
internal sealed class StackRunner(StackPlan plan, PrefixedOutput output, TimeProvider time) : IDisposable
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(120);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(25);
    private static readonly TimeSpan ServiceGrace = TimeSpan.FromSeconds(10);

    /// <summary>The supervisor stops its upstreams first, each within its <c>unloadTimeout</c>.</summary>
    private static readonly TimeSpan SupervisorGrace = TimeSpan.FromSeconds(40);

    private static readonly TimeSpan MaxRestartDelay = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan HealthyRun = TimeSpan.FromSeconds(60);

    private readonly ProcessSpawner _spawner = new();
    private readonly Dictionary<string, ChildProcess> _running = [];
    private readonly Lock _lock = new();
    private readonly HttpClient _health = FrontDoorProbe.CreateClient(plan.Options.TlsCertFile, TimeSpan.FromSeconds(2));

    /// <summary>A process was started again (its pid changed).</summary>
    public event Action? Restarted;

    public IReadOnlyDictionary<string, int> Pids
    {
        get
        {
            lock (_lock)
            {
                return _running.ToDictionary(p => p.Key, p => p.Value.Pid);
            }
        }
    }

    /// <summary>Starts everything; false (everything stopped again) when something failed to come up.</summary>
    public async Task<bool> StartAsync(CancellationToken cancellationToken)
    {
        if (plan.Redis is { } redis && !await StartOneAsync(redis, cancellationToken))
        {
            await StopAsync();
            return false;
        }

        var started = await Task.WhenAll(plan.Services.Select(service => StartOneAsync(service, cancellationToken)));
        if (started.All(ok => ok))
        {
            return true;
        }

        await StopAsync();
        return false;
    }

    /// <summary>Until <paramref name="stopping"/>: restarts whatever dies, with a growing pause.</summary>
    public async Task SuperviseAsync(CancellationToken stopping)
    {
        var watchers = plan.Services.Prepend(plan.Redis).OfType<ProcessSpec>().Select(spec => WatchAsync(spec, stopping));
        await Task.WhenAll(watchers);
    }

    /// <summary>Forwards a signal (SIGHUP: reload the config) to the services.</summary>
    public void SignalServices(int signal)
    {
        foreach (var spec in plan.Services)
        {
            Current(spec.Name)?.Signal(signal);
        }
    }

    public async Task StopAsync()
    {
        foreach (var spec in plan.Services.Reverse())
        {
            if (Current(spec.Name) is { } child)
            {
                await child.StopAsync(spec.Name == "supervisor" ? SupervisorGrace : ServiceGrace, time);
            }
        }

        if (plan.Redis is { } redis && Current(redis.Name) is { } redisProcess)
        {
            await redisProcess.StopAsync(ServiceGrace, time);
        }
    }

    public void Dispose()
    {
        _spawner.Dispose();
        _health.Dispose();
        lock (_lock)
        {
            foreach (var child in _running.Values)
            {
                child.Dispose();
            }
        }
    }

    private ChildProcess? Current(string name)
    {
        lock (_lock)
        {
            return _running.GetValueOrDefault(name);
        }
    }

    private async Task<bool> StartOneAsync(ProcessSpec spec, CancellationToken cancellationToken)
    {
        ChildProcess child;
        try
        {
            child = await ChildProcess.StartAsync(spec, _spawner, output);
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            output.Warn($"llamaswap: could not start {spec.Name} ({spec.FileName}): {ex.Message}");
            return false;
        }

        lock (_lock)
        {
            _running.GetValueOrDefault(spec.Name)?.Dispose();
            _running[spec.Name] = child;
        }

        var deadline = time.GetUtcNow() + ReadyTimeout;
        while (!await IsReadyAsync(spec, cancellationToken))
        {
            if (child.HasExited)
            {
                output.Warn($"llamaswap: {spec.Name} stopped while starting ({child.ExitDescription}); its last lines are above");
                return false;
            }

            if (time.GetUtcNow() > deadline)
            {
                output.Warn($"llamaswap: {spec.Name} did not become ready within {ReadyTimeout.TotalSeconds:0} s");
                return false;
            }

            await Task.Delay(PollInterval, time, cancellationToken);
        }

        return true;
    }

    private async Task<bool> IsReadyAsync(ProcessSpec spec, CancellationToken cancellationToken)
    {
        if (spec.RedisPort is { } port)
        {
            return await RespPing.TryPingAsync("127.0.0.1", port, TimeSpan.FromSeconds(1), cancellationToken);
        }

        try
        {
            using var response = await _health.GetAsync(spec.HealthUrl, cancellationToken);
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The per-request timeout: not up yet.
            return false;
        }
    }

    /// <summary>Returns once a config file's size or write time differs from now (polled as the services poll it).</summary>
    private async Task ConfigChangedAsync(CancellationToken stopping)
    {
        var before = ConfigStamp();
        while (ConfigStamp() == before)
        {
            await Task.Delay(TimeSpan.FromSeconds(2), time, stopping);
        }
    }

    private string ConfigStamp()
    {
        var files = new List<string>();
        if (plan.ConfigPath.Length > 0)
        {
            files.Add(plan.ConfigPath);
        }

        if (plan.Options.ConfigDir is { } directory && Directory.Exists(directory))
        {
            files.AddRange(Directory.EnumerateFiles(directory).Order(StringComparer.Ordinal));
        }

        return string.Join('|', files.Select(f => new FileInfo(f)).Select(f => f.Exists ? $"{f.FullName}:{f.Length}:{f.LastWriteTimeUtc.Ticks}" : f.FullName));
    }

    private async Task WatchAsync(ProcessSpec spec, CancellationToken stopping)
    {
        var delay = TimeSpan.FromSeconds(1);
        while (!stopping.IsCancellationRequested)
        {
            var child = Current(spec.Name);
            if (child is null)
            {
                return;
            }

            var since = time.GetUtcNow();
            try
            {
                await child.Exited.WaitAsync(stopping);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            delay = time.GetUtcNow() - since > HealthyRun ? TimeSpan.FromSeconds(1) : delay;
            var refusedConfig = child.ExitCode == StartupConfig.RefusedExitCode;
            output.Warn(refusedConfig
                ? $"llamaswap: {spec.Name} (pid {child.Pid}) refused the config (see above): it starts again once the config file changes"
                : $"llamaswap: {spec.Name} (pid {child.Pid}) exited unexpectedly ({child.ExitDescription}): starting it again in {delay.TotalSeconds:0} s");
            try
            {
                // Starting it again on the same files would only be refused again, and print it all again.
                await (refusedConfig ? ConfigChangedAsync(stopping) : Task.Delay(delay, time, stopping));
                if (await StartOneAsync(spec, stopping))
                {
                    output.Say($"llamaswap: {spec.Name} is back (pid {Current(spec.Name)?.Pid})");
                    Restarted?.Invoke();
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }

            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxRestartDelay.Ticks));
        }
    }
}
