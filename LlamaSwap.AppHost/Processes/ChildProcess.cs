using System.Diagnostics;
using LlamaSwap.Core.Hosting;
using LlamaSwap.Core.Processes;

namespace LlamaSwap.AppHost.Processes;

/// <summary>
/// A running child in its own process group, its output multiplexed to the console. Stopping is
/// SIGTERM to the group, a bounded wait, then SIGKILL to the group (Aspire's ProcessUtil pattern):
/// the group also holds whatever the child spawned without a group of its own (e.g. the process
/// <c>dotnet tool run</c> starts).
/// </summary>
internal sealed class ChildProcess : IAsyncDisposable
{
    private const int RecentLineCount = 30;

    // setsid execs without forking when its caller is not a group leader (a fresh child never is),
    // so the PID we get is also the new group's id.
    private static readonly string SetsidPath = File.Exists("/usr/bin/setsid") ? "/usr/bin/setsid" : "setsid";

    private readonly Process _process;
    private readonly OutputMultiplexer _output;
    private readonly Queue<string> _recentLines = new();
    private readonly TaskCompletionSource<int> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ChildProcess(string name, Process process, OutputMultiplexer output)
    {
        Name = name;
        _process = process;
        _output = output;
    }

    public string Name { get; }

    /// <summary>The child's PID, which is also its process group id.</summary>
    public int Pid { get; private set; }

    /// <summary>Completes with the exit code when the child itself exits, even if its descendants keep its pipes open.</summary>
    public Task<int> Exited => _exited.Task;

    public static ChildProcess Start(string name, LaunchSpec spec, OutputMultiplexer output)
    {
        var startInfo = new ProcessStartInfo(SetsidPath)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            // A closed stdin: children in another session must never touch our terminal.
            RedirectStandardInput = true,
            WorkingDirectory = spec.WorkingDirectory ?? "",
        };
        startInfo.ArgumentList.Add(spec.FileName);
        foreach (var argument in spec.Arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        // Our services stop themselves if we die without stopping them (SIGKILL, OOM killer).
        startInfo.Environment[WiringEnvironment.ExitWithParent] = "1";
        foreach (var (key, value) in spec.Environment)
        {
            startInfo.Environment[key] = value;
        }

        var process = new Process { StartInfo = startInfo, EnableRaisingEvents = true };
        var child = new ChildProcess(name, process, output);
        process.OutputDataReceived += (_, e) => child.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => child.OnLine(e.Data);

        // The Exited event fires when the child is reaped, unlike WaitForExitAsync, which also waits
        // for end-of-file on pipes that a grandchild may still hold.
        process.Exited += (_, _) => child._exited.TrySetResult(process.ExitCode);

        process.Start();
        child.Pid = process.Id;
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>The last lines the child wrote, for error reports.</summary>
    public IReadOnlyList<string> RecentLines()
    {
        lock (_recentLines)
        {
            return [.. _recentLines];
        }
    }

    /// <summary>
    /// SIGTERM to the group, wait up to <paramref name="gracePeriod"/> (cut short by
    /// <paramref name="force"/>), then SIGKILL the group. SIGKILL is sent even after a graceful exit:
    /// it takes down descendants that stayed in the group. Returns true when the stop was graceful.
    /// </summary>
    public async Task<bool> StopAsync(TimeSpan gracePeriod, CancellationToken force = default)
    {
        var graceful = true;
        if (!Exited.IsCompleted)
        {
            PosixSignals.SignalGroup(Pid, PosixSignals.SigTerm);
            try
            {
                await Exited.WaitAsync(gracePeriod, force);
            }
            catch (Exception ex) when (ex is TimeoutException or OperationCanceledException)
            {
                graceful = false;
            }
        }

        PosixSignals.SignalGroup(Pid, PosixSignals.SigKill);
        await Exited;
        return graceful;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(TimeSpan.Zero);
        _process.Dispose();
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_recentLines)
        {
            if (_recentLines.Count == RecentLineCount)
            {
                _recentLines.Dequeue();
            }

            _recentLines.Enqueue(line);
        }

        _output.WriteLine(Name, line);
    }
}
