using System.Diagnostics;
using System.Text;
using System.Text.Json;
using LlamaSwap.Core.Processes;
using LlamaSwap.Tests.Infrastructure;

namespace LlamaSwap.Tests.EndToEnd;

/// <summary>
/// The AppHost as the README runs it (no config: the demo; or the given config file), on free ports,
/// dashboard included. DCP, which starts the resources, detaches from the AppHost: what runs is found
/// through DCP's <c>--monitor &lt;AppHost pid&gt;</c> argument.
/// </summary>
internal sealed class RunningAppHost : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };

    private RunningAppHost(Process process, string frontDoor, int dashboardPort)
    {
        _process = process;
        FrontDoor = frontDoor;
        DashboardUrl = $"http://127.0.0.1:{dashboardPort}";
    }

    public string DashboardUrl { get; }

    public int Pid => _process.Id;

    public string FrontDoor { get; }

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

    /// <summary>Starts the AppHost; <paramref name="environment"/> is added to what it (and so every service and upstream) inherits.</summary>
    public static async Task<RunningAppHost> StartAsync(string? configPath = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var proxyPort = FreePorts.Next();
        var dashboardPort = FreePorts.Block(3);
        var info = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[]
        {
            RepoLayout.ServiceDll("LlamaSwap.AppHost"), "--port", FreePorts.Next().ToString(), "--proxy-port", proxyPort.ToString(),
            "--dashboard-port", dashboardPort.ToString(),
        })
        {
            info.ArgumentList.Add(arg);
        }

        if (configPath is not null)
        {
            info.ArgumentList.Add("--config");
            info.ArgumentList.Add(configPath);
        }

        info.Environment.Remove("API_KEYS");
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }

        foreach (var inherited in new[] { "ASPNETCORE_URLS", "ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL", "OTEL_EXPORTER_OTLP_ENDPOINT" })
        {
            info.Environment.Remove(inherited);
        }

        var appHost = new RunningAppHost(Process.Start(info)!, $"http://127.0.0.1:{proxyPort}", dashboardPort);
        appHost._process.OutputDataReceived += (_, e) => appHost.Append(e.Data);
        appHost._process.ErrorDataReceived += (_, e) => appHost.Append(e.Data);
        appHost._process.BeginOutputReadLine();
        appHost._process.BeginErrorReadLine();
        await Eventually.TrueAsync(appHost.IsHealthyAsync, "the front door answers", TimeSpan.FromSeconds(90));
        return appHost;
    }

    public async Task ChatAsync(string model)
    {
        using var response = await _http.PostAsync(FrontDoor + "/v1/chat/completions", new StringContent(
            $$"""{"model":"{{model}}","messages":[{"role":"user","content":"hello"}]}""", Encoding.UTF8, "application/json"));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode} {body}\n{Output}");
        using var reply = JsonDocument.Parse(body);
        Assert.False(string.IsNullOrEmpty(reply.RootElement.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString()));
    }

    /// <summary>Every process the AppHost runs: DCP (which detaches) and everything below it, and the AppHost's own children.</summary>
    public IReadOnlyList<int> ProcessesBelow()
    {
        var dcp = ProcessTree.WithCommandLine($"--monitor {Pid}").Where(pid => ProcessTree.CommandLine(pid).Contains("dcp", StringComparison.Ordinal));
        return [.. dcp.SelectMany(pid => ProcessTree.Descendants(pid).Prepend(pid)).Concat(ProcessTree.Descendants(Pid)).Distinct()];
    }

    /// <summary>The pid of the service process of a resource (<c>LlamaSwap.Gateway</c> etc.), below the AppHost.</summary>
    public int ServicePid(string projectName) => Assert.Single(
        ProcessesBelow(),
        pid => ProcessTree.CommandLine(pid).Contains($"/bin/", StringComparison.Ordinal)
            && ProcessTree.CommandLine(pid).Split(' ')[0].EndsWith("/" + projectName, StringComparison.Ordinal));

    /// <summary>One chat request through the front door: true when it was answered 200, false on any failure.</summary>
    public async Task<bool> TryChatAsync(string model)
    {
        try
        {
            using var response = await _http.PostAsync(FrontDoor + "/v1/chat/completions", new StringContent(
                $$"""{"model":"{{model}}","messages":[{"role":"user","content":"hello"}]}""", Encoding.UTF8, "application/json"));
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    public async Task<int> WaitForExitAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await _process.WaitForExitAsync(timeout.Token);
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            PosixSignals.SignalProcess(_process.Id, PosixSignals.SigTerm);
            try
            {
                await WaitForExitAsync();
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
            }
        }

        _http.Dispose();
        _process.Dispose();
    }

    private async Task<bool> IsHealthyAsync()
    {
        if (_process.HasExited)
        {
            throw new InvalidOperationException($"the AppHost exited with {_process.ExitCode}:\n{Output}");
        }

        try
        {
            using var response = await _http.GetAsync(FrontDoor + "/health");
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
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
