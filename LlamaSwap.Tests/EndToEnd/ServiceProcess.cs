using System.Diagnostics;
using System.Text;
using LlamaSwap.Core.Processes;
using LlamaSwap.Tests.Infrastructure;

namespace LlamaSwap.Tests.EndToEnd;

/// <summary>One of the project's services running as a real child process, with its output kept for diagnostics.</summary>
internal sealed class ServiceProcess : IAsyncDisposable
{
    private static readonly HttpClient s_http = new() { Timeout = TimeSpan.FromSeconds(2) };

    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ServiceProcess(string name, Process process, string url)
    {
        Name = name;
        _process = process;
        Url = url;
    }

    public string Name { get; }

    public string Url { get; }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

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

    public static async Task<ServiceProcess> StartAsync(string project, int port, IReadOnlyDictionary<string, string> environment)
    {
        var url = $"http://127.0.0.1:{port}";
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(RepoLayout.ServiceDll(project));
        info.Environment["ASPNETCORE_URLS"] = url;
        info.Environment["DOTNET_ENVIRONMENT"] = "Production";
        info.Environment["Logging__LogLevel__Default"] = "Information";
        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException($"{project} did not start");
        var service = new ServiceProcess(project, process, url);
        process.OutputDataReceived += (_, e) => service.Append(e.Data);
        process.ErrorDataReceived += (_, e) => service.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await Eventually.TrueAsync(service.IsHealthyAsync, $"{project} is healthy", TimeSpan.FromSeconds(30));
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            await service.DisposeAsync();
            throw new InvalidOperationException($"{project} did not become healthy. Output:\n{service.Output}", ex);
        }

        return service;
    }

    /// <summary>SIGTERM, then SIGKILL after the grace period.</summary>
    public async Task StopAsync(TimeSpan? grace = null)
    {
        if (_process.HasExited)
        {
            return;
        }

        PosixSignals.SignalProcess(_process.Id, PosixSignals.SigTerm);
        using var timeout = new CancellationTokenSource(grace ?? TimeSpan.FromSeconds(20));
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
    }

    /// <summary>SIGKILL, no cleanup: simulates a crash.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            PosixSignals.SignalProcess(_process.Id, PosixSignals.SigKill);
            await _process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _process.Dispose();
    }

    private async Task<bool> IsHealthyAsync()
    {
        if (_process.HasExited)
        {
            throw new InvalidOperationException($"{Name} exited with {_process.ExitCode}. Output:\n{Output}");
        }

        try
        {
            using var response = await s_http.GetAsync(Url + "/health");
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
        catch (TaskCanceledException)
        {
            return false;
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }
}
