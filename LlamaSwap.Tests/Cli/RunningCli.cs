using System.Diagnostics;
using System.Text;
using LlamaSwap.Core.Processes;
using LlamaSwap.Tests.Infrastructure;

namespace LlamaSwap.Tests.Cli;

/// <summary>The built <c>llamaswap</c> CLI run as a user runs it: a real process, its output kept.</summary>
internal sealed class RunningCli : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private RunningCli(Process process) => _process = process;

    public static string Dll => RepoLayout.ServiceDll("LlamaSwap.Cli").Replace("LlamaSwap.Cli.dll", "llamaswap.dll", StringComparison.Ordinal);

    public int Pid => _process.Id;

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public static RunningCli Start(IEnumerable<string> args, string? workingDirectory = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory ?? Path.GetTempPath(),
        };
        info.ArgumentList.Add(Dll);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var inherited in new[] { "API_KEYS", "API_KEY", "LLAMASWAP_KEYS_FILE", "ASPNETCORE_URLS", "OTEL_EXPORTER_OTLP_ENDPOINT", "LLAMASWAP_BACKGROUND" })
        {
            info.Environment.Remove(inherited);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }

        var cli = new RunningCli(Process.Start(info)!);
        cli._process.OutputDataReceived += (_, e) => cli.Append(e.Data);
        cli._process.ErrorDataReceived += (_, e) => cli.Append(e.Data);
        cli._process.BeginOutputReadLine();
        cli._process.BeginErrorReadLine();
        return cli;
    }

    /// <summary>Runs a command to its end (bounded) and returns its exit code and output.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(IEnumerable<string> args, string? workingDirectory = null, IReadOnlyDictionary<string, string>? environment = null, TimeSpan? timeout = null)
    {
        await using var cli = Start(args, workingDirectory, environment);
        var code = await cli.WaitForExitAsync(timeout ?? TimeSpan.FromSeconds(120));
        return (code, cli.Output);
    }

    public Task WaitForOutputAsync(string text, TimeSpan? timeout = null)
        => Eventually.TrueAsync(
            () => HasExited ? throw new InvalidOperationException($"llamaswap exited ({ExitCode}) before printing \"{text}\":\n{Output}") : Output.Contains(text, StringComparison.Ordinal),
            $"llamaswap prints \"{text}\"",
            timeout ?? TimeSpan.FromSeconds(90));

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cancel.Token);
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            PosixSignals.SignalProcess(_process.Id, PosixSignals.SigTerm);
            try
            {
                await WaitForExitAsync(TimeSpan.FromSeconds(60));
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
            }
        }

        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }
}
