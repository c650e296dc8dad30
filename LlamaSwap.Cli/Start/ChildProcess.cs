using System.Diagnostics;
using LlamaSwap.Core.Processes;

namespace LlamaSwap.Cli.Start;

/// <summary>A running child: its output forwarded, its exit awaitable, stopped with SIGTERM then SIGKILL.</summary>
internal sealed class ChildProcess : IDisposable
{
    private readonly Process _process;

    private ChildProcess(ProcessSpec spec, Process process, PrefixedOutput output)
    {
        Spec = spec;
        _process = process;
        process.EnableRaisingEvents = true;
        process.OutputDataReceived += (_, e) => Forward(output, e.Data, isError: false);
        process.ErrorDataReceived += (_, e) => Forward(output, e.Data, isError: true);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        Exited = process.WaitForExitAsync();
    }

    public ProcessSpec Spec { get; }

    public int Pid => _process.Id;

    public Task Exited { get; }

    public bool HasExited => Exited.IsCompleted;

    public int ExitCode => _process.ExitCode;

    /// <summary>How it ended, as a person reads it: <c>exit code 1</c>, <c>signal 9 (SIGKILL)</c>.</summary>
    public string ExitDescription
    {
        get
        {
            var code = _process.ExitCode;

            // .NET reports death by a signal as 128 + signal number.
            return code > 128 && code < 160 ? $"killed by signal {code - 128}" : $"exit code {code}";
        }
    }

    public static async Task<ChildProcess> StartAsync(ProcessSpec spec, ProcessSpawner spawner, PrefixedOutput output)
    {
        var start = new ProcessStartInfo(spec.FileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in spec.Arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in spec.Environment)
        {
            start.Environment[name] = value;
        }

        var process = await spawner.StartAsync(start);
        return new ChildProcess(spec, process, output);
    }

    public void Signal(int signal)
    {
        if (!HasExited)
        {
            PosixSignals.SignalProcess(_process.Id, signal);
        }
    }

    /// <summary>SIGTERM, then SIGKILL after <paramref name="grace"/>; returns once it has exited.</summary>
    public async Task StopAsync(TimeSpan grace, TimeProvider time)
    {
        if (HasExited)
        {
            return;
        }

        Signal(PosixSignals.SigTerm);
        using var timeout = new CancellationTokenSource(grace, time);
        try
        {
            await Exited.WaitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            Signal(PosixSignals.SigKill);
            await Exited;
        }
    }

    public void Dispose() => _process.Dispose();

    private void Forward(PrefixedOutput output, string? line, bool isError)
    {
        if (line is not null)
        {
            output.Line(Spec.Name, line, isError);
        }
    }
}
