using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using LlamaSwap.Core.Processes;
using LlamaSwap.ServiceDefaults.Transport;

namespace LlamaSwap.Supervisor.Processes;

/// <summary>
/// One run of an upstream OS process in its own process group: spawn, health polling, graceful
/// stop escalating to SIGKILL of the whole group, output capture and a pid record for crash cleanup.
/// </summary>
internal sealed partial class UpstreamProcess : IUpstreamProcess
{
    /// <summary>Each health probe gives up after this long, so a hung upstream cannot stall the poll loop.</summary>
    internal static readonly TimeSpan HealthAttemptTimeout = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// Pause between probes. llama-swap waits 250 ms and then polls every second; polling this often
    /// notices readiness within a few ms, and a refused connection on loopback costs next to nothing.
    /// </summary>
    internal static readonly TimeSpan HealthPollInterval = TimeSpan.FromMilliseconds(10);

    /// <summary>Grace given to an upstream whose health check timed out (reference 3.3: aborted health check).</summary>
    internal static readonly TimeSpan AbortedStartGrace = TimeSpan.FromSeconds(5);

    /// <summary>Grace when the caller cancelled the start (reference 3.3: router context cancelled).</summary>
    internal static readonly TimeSpan CancelledStartGrace = TimeSpan.FromSeconds(1);

    /// <summary>Grace used by <see cref="DisposeAsync"/> when nobody stopped the process first.</summary>
    internal static readonly TimeSpan DisposeGrace = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long, after the exit, the last output may take to arrive: the pipes close once the group
    /// is gone (it is SIGKILLed at exit), unless something outside it holds them, which must not
    /// keep the exit from being reported.
    /// </summary>
    internal static readonly TimeSpan OutputDrainBound = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// setsid(1) calls setsid(2) and execs the command without forking (its caller, our fresh child,
    /// is not a group leader), so the upstream's PID is also its session and process group id.
    /// </summary>
    private const string SetsidPath = "/usr/bin/setsid";

    // The most a timer accepts; a graceful timeout beyond this is as good as forever.
    private static readonly TimeSpan MaxGrace = TimeSpan.FromDays(1);

    private readonly HttpClient _healthClient;
    private readonly UpstreamOutput _output;
    private readonly TimeProvider _timeProvider;
    private readonly string _runDirectory;
    private readonly ILogger _logger;
    private readonly TaskCompletionSource<UpstreamExit> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly RecentOutput _recentOutput = new();
    private readonly Lock _lock = new();
    private Process? _process;
    private Task? _stopTask;
    private Task _outputDrained = Task.CompletedTask;
    private int _startCalled;

    public UpstreamProcess(ProcessSpec spec, HttpClient healthClient, UpstreamOutput output, TimeProvider timeProvider, string runDirectory, ILogger logger)
    {
        Spec = spec;
        _healthClient = healthClient;
        _output = output;
        _timeProvider = timeProvider;
        _runDirectory = runDirectory;
        _logger = logger;
    }

    public ProcessSpec Spec { get; }

    public int? Pid { get; private set; }

    public Task<UpstreamExit> Exited => _exited.Task;

    private bool StopRequested
    {
        get
        {
            lock (_lock)
            {
                return _stopTask is not null;
            }
        }
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _startCalled, 1) != 0)
        {
            throw new InvalidOperationException("StartAsync may be called only once per upstream process handle.");
        }

        cancellationToken.ThrowIfCancellationRequested();
        var port = UpstreamPort.Of(Spec);
        if (port is not null)
        {
            try
            {
                await EnsurePortFreeAsync(port, cancellationToken);
            }
            catch (Exception ex) when (ex is UpstreamStartException or OperationCanceledException)
            {
                // Nothing was spawned, so nothing will exit: complete Exited so nobody waits on it forever.
                _exited.TrySetResult(UpstreamExit.Unknown);
                throw;
            }
        }

        var started = _timeProvider.GetTimestamp();
        Spawn();

        using var loadEnded = new CancellationTokenSource();
        var loadProgress = MonitorLoadProgressAsync(loadEnded.Token);
        try
        {
            await WaitUntilHealthyAsync(started, Spec.HealthCheckTimeout, cancellationToken);
            if (port is not null && Spec.CheckEndpoint is not null)
            {
                VerifyPortHolder(port, Pid!.Value);
            }
        }
        catch (UpstreamStartException)
        {
            await StopAsync(AbortedStartGrace, CancellationToken.None);
            throw;
        }
        catch (OperationCanceledException)
        {
            Log.StartCancelled(_logger, Spec.ModelId, Pid!.Value);
            await StopAsync(CancelledStartGrace, CancellationToken.None);
            throw;
        }
        finally
        {
            // No progress report may follow the start's outcome.
            await loadEnded.CancelAsync();
            await loadProgress;
        }
    }

    public Task StopAsync(TimeSpan gracefulTimeout, CancellationToken cancellationToken = default)
    {
        Task stop;
        lock (_lock)
        {
            if (Pid is null)
            {
                return Task.CompletedTask;
            }

            // The first caller's timeout wins; later callers (and a concurrent start abort) await the same stop.
            stop = _stopTask ??= Task.Run(() => StopCoreAsync(Clamp(gracefulTimeout)), CancellationToken.None);
        }

        return stop.WaitAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(DisposeGrace, CancellationToken.None);
        _process?.Dispose();
    }

    private void Spawn()
    {
        var command = Spec.Command;
        var commandText = FormatCommand(command);
        string program;
        try
        {
            program = command.Count == 0
                ? throw new UpstreamStartException("empty command")
                : ResolveProgram(command[0], EffectivePath());
        }
        catch (UpstreamStartException ex)
        {
            FailSpawn(commandText, ex.Message, null);
            throw;
        }

        var startInfo = new ProcessStartInfo(SetsidPath)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        startInfo.ArgumentList.Add(program);
        foreach (var argument in command.Skip(1))
        {
            startInfo.ArgumentList.Add(argument);
        }

        ApplyEnvironment(startInfo);

        var process = new Process { StartInfo = startInfo, EnableRaisingEvents = true };
        try
        {
            process.Start();
        }
        catch (Exception ex) when (ex is Win32Exception or InvalidOperationException)
        {
            process.Dispose();
            FailSpawn(commandText, ex.Message, ex);
        }

        lock (_lock)
        {
            _process = process;
            Pid = process.Id;
        }

        // Upstreams get an empty stdin (as Go's exec does), not the supervisor's terminal.
        process.StandardInput.Close();
        _outputDrained = Task.WhenAll(
            PumpAsync(process.StandardOutput, UpstreamStream.StdOut),
            PumpAsync(process.StandardError, UpstreamStream.StdErr));
        Log.Spawned(_logger, Spec.ModelId, process.Id, commandText);

        try
        {
            UpstreamPidRecords.Write(_runDirectory, process.Id, Spec.ModelId, Spec.Fingerprint());
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Log.PidRecordFailed(_logger, Spec.ModelId, process.Id, ex);
        }

        // Started only after the record exists, so the record's deletion on exit cannot come first.
        _ = WatchExitAsync(process);
    }

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    private void FailSpawn(string commandText, string reason, Exception? inner)
    {
        Log.FailedToStart(_logger, Spec.ModelId, commandText, reason);

        // No process will ever exit: complete Exited so nobody waits on it forever.
        _exited.TrySetResult(UpstreamExit.Unknown);
        throw new UpstreamStartException($"failed to start command '{commandText}': {reason}", inner);
    }

    private async Task WaitUntilHealthyAsync(long started, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (Spec.CheckEndpoint is null)
        {
            return;
        }

        var url = HealthUrl(Spec.Proxy, Spec.CheckEndpoint);

        // The deadline runs on the injected clock; the poll pauses are real time (they only pace the loop).
        using var deadline = new CancellationTokenSource(Clamp(timeout), _timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            while (true)
            {
                linked.Token.ThrowIfCancellationRequested();
                if (StopRequested)
                {
                    throw new OperationCanceledException("The upstream was stopped while starting.");
                }

                if (_exited.Task.IsCompleted)
                {
                    var exit = _exited.Task.Result;
                    Log.ExitedPrematurely(_logger, Spec.ModelId, Pid!.Value, exit.Describe(), exit.LastOutputText);

                    // llama-swap's text first (clients and scripts match on it), then what only the upstream can tell.
                    throw new UpstreamStartException(exit.Explain("upstream command exited prematurely"));
                }

                if (await ProbeAsync(url, linked.Token))
                {
                    Log.HealthCheckPassed(_logger, Spec.ModelId, url, _timeProvider.GetElapsedTime(started).TotalMilliseconds);
                    return;
                }

                // Wake early when the process dies, so a crash is reported at once rather than after a probe.
                await Task.WhenAny(Task.Delay(HealthPollInterval, linked.Token), _exited.Task);
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            var formatted = FormatGoDuration(timeout);
            Log.HealthCheckTimedOut(_logger, Spec.ModelId, url, formatted);
            throw new UpstreamStartException($"health check timed out after {formatted}");
        }
    }

    private async Task<bool> ProbeAsync(Uri url, CancellationToken cancellationToken)
    {
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        attempt.CancelAfter(HealthAttemptTimeout);
        try
        {
            // One connection per probe, closed once answered: an idle kept-alive probe connection holds
            // one of the upstream's HTTP threads (llama-server has 3 on 2 cores) until its keep-alive
            // timeout, and the first forwarded request then waits behind it (about 5 s with b4750).
            using var request = new HttpRequestMessage(HttpMethod.Get, url) { Headers = { ConnectionClose = true } };
            using var response = await _healthClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, attempt.Token);
            return response.StatusCode == System.Net.HttpStatusCode.OK;
        }
        catch (HttpRequestException)
        {
            return false;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // This attempt timed out; the next one may succeed.
            return false;
        }
    }

    private async Task StopCoreAsync(TimeSpan gracefulTimeout)
    {
        var pid = Pid!.Value;
        if (_exited.Task.IsCompleted)
        {
            SignalGroup(pid, PosixSignals.SigKill);
            return;
        }

        Log.Stopping(_logger, Spec.ModelId, pid, Spec.StopCommand is null ? "SIGTERM" : "cmdStop", gracefulTimeout.TotalSeconds);
        using var grace = new CancellationTokenSource(gracefulTimeout, _timeProvider);
        var stopCommand = Task.CompletedTask;
        if (Spec.StopCommand is { Count: > 0 } stopArgv)
        {
            stopCommand = RunStopCommandAsync(stopArgv, pid, grace.Token);
        }
        else
        {
            SignalGroup(pid, PosixSignals.SigTerm);
        }

        try
        {
            await _exited.Task.WaitAsync(grace.Token);
        }
        catch (OperationCanceledException)
        {
            Log.GracefulTimeoutExpired(_logger, Spec.ModelId, pid, gracefulTimeout.TotalSeconds);
            SignalGroup(pid, PosixSignals.SigKill);
        }

        await _exited.Task;

        // Always, even after a graceful exit: group members that ignored SIGTERM (or outlived the
        // leader) must not keep holding GPU memory or the port.
        SignalGroup(pid, PosixSignals.SigKill);
        await stopCommand;
    }

    /// <summary>
    /// Runs cmdStop (in its own group) with <c>${PID}</c> substituted; killed if still running when the
    /// grace period ends. When it cannot start, or exits non-zero while the upstream runs, SIGTERM
    /// goes to the group as if there were no cmdStop. Never throws.
    /// </summary>
    private async Task RunStopCommandAsync(IReadOnlyList<string> argv, int pid, CancellationToken grace)
    {
        var pidText = pid.ToString(CultureInfo.InvariantCulture);
        var words = argv.Select(word => word.Replace("${PID}", pidText, StringComparison.Ordinal)).ToList();
        Process stopProcess;
        try
        {
            var startInfo = new ProcessStartInfo(SetsidPath)
            {
                UseShellExecute = false,
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            startInfo.ArgumentList.Add(ResolveProgram(words[0], EffectivePath()));
            foreach (var word in words.Skip(1))
            {
                startInfo.ArgumentList.Add(word);
            }

            ApplyEnvironment(startInfo);

            stopProcess = Process.Start(startInfo)!;
        }
        catch (Exception ex) when (ex is UpstreamStartException or Win32Exception or InvalidOperationException)
        {
            // Without a working cmdStop the upstream still has to go: fall back to the default signal.
            Log.StopCommandFailed(_logger, Spec.ModelId, FormatCommand(words), ex.Message);
            SignalGroup(pid, PosixSignals.SigTerm);
            return;
        }

        using (stopProcess)
        {
            stopProcess.StandardInput.Close();
            _ = PumpAsync(stopProcess.StandardOutput, UpstreamStream.StopCommand);
            _ = PumpAsync(stopProcess.StandardError, UpstreamStream.StopCommand);
            try
            {
                await stopProcess.WaitForExitAsync(grace);
            }
            catch (OperationCanceledException)
            {
                SignalGroup(stopProcess.Id, PosixSignals.SigKill);
                await stopProcess.WaitForExitAsync(CancellationToken.None);
                return;
            }

            // A cmdStop that failed stopped nothing: `docker stop NAME` while the client is still pulling
            // the image finds no container, and the client would go on to start one, be SIGKILLed when the
            // grace period ends and leave the container running. The default signal stops the client in time.
            if (stopProcess.ExitCode != 0 && !_exited.Task.IsCompleted)
            {
                Log.StopCommandExitedWithError(_logger, Spec.ModelId, FormatCommand(words), stopProcess.ExitCode, pid);
                SignalGroup(pid, PosixSignals.SigTerm);
            }
        }
    }

    private async Task WatchExitAsync(Process process)
    {
        var exitCode = -1;
        try
        {
            await process.WaitForExitAsync(CancellationToken.None);
            exitCode = process.ExitCode;
        }
        catch (Exception ex) when (ex is InvalidOperationException or Win32Exception)
        {
            // Exited must never fault; an unknown exit code is reported as -1.
        }

        await OnExitedAsync(process.Id, exitCode);
    }

    private async Task OnExitedAsync(int pid, int exitCode)
    {
        // The upstream is gone, so its group goes too (reference 3.12: the model counts as stopped);
        // otherwise a grandchild could keep the GPU or the port.
        SignalGroup(pid, PosixSignals.SigKill);
        try
        {
            UpstreamPidRecords.Delete(_runDirectory, pid);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Log.PidRecordFailed(_logger, Spec.ModelId, pid, ex);
        }

        // The group is gone, so the pipes close now; the bound covers a holder outside the group.
        // Real time: the wait only covers pipe latency, and a fake clock would never end it.
        await Task.WhenAny(_outputDrained, Task.Delay(OutputDrainBound, TimeProvider.System));
        Log.Exited(_logger, Spec.ModelId, pid, exitCode);
        _exited.TrySetResult(new UpstreamExit(exitCode, _recentOutput.Snapshot()));
    }

    private async Task PumpAsync(StreamReader reader, UpstreamStream stream)
    {
        try
        {
            while (await reader.ReadLineAsync() is { } line)
            {
                if (stream is not UpstreamStream.StopCommand)
                {
                    _recentOutput.Add(line);
                }

                try
                {
                    _output.Append(Spec.ModelId, stream, line);
                }
                catch (Exception ex)
                {
                    // Keep draining whatever a subscriber does: a full pipe would block the upstream.
                    Log.OutputPumpFailed(_logger, Spec.ModelId, ex);
                }
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException)
        {
            // The pipe closed under us (handle disposed): nothing more to read.
        }
    }

    /// <summary>
    /// Signals the group; quiet when it is already gone. Right after spawn, before setsid(2) ran in
    /// the child, the group does not exist yet: the process itself is signalled instead.
    /// </summary>
    private void SignalGroup(int processGroupId, int signal)
    {
        try
        {
            if (!PosixSignals.SignalGroup(processGroupId, signal)
                && processGroupId == Pid
                && _process is { HasExited: false })
            {
                PosixSignals.SignalProcess(processGroupId, signal);
            }
        }
        catch (Exception ex) when (ex is Win32Exception or InvalidOperationException)
        {
            Log.SignalFailed(_logger, Spec.ModelId, processGroupId, signal, ex);
        }
    }

    /// <summary>The inherited environment minus our own tuning switches, plus the model's <c>env</c> (later entries win).</summary>
    private void ApplyEnvironment(ProcessStartInfo startInfo)
    {
        foreach (var name in InlineIoExtensions.VariablesNotToInherit)
        {
            startInfo.Environment.Remove(name);
        }

        foreach (var (name, value) in Spec.Env)
        {
            startInfo.Environment[name] = value;
        }
    }

    private string? EffectivePath()
    {
        // Later entries win, as they do for the child's environment.
        var path = Environment.GetEnvironmentVariable("PATH");
        foreach (var (name, value) in Spec.Env)
        {
            if (name == "PATH")
            {
                path = value;
            }
        }

        return path;
    }

    private static TimeSpan Clamp(TimeSpan timeout) =>
        timeout < TimeSpan.Zero ? TimeSpan.Zero : timeout > MaxGrace ? MaxGrace : timeout;
}
