using System.Diagnostics;
using LlamaSwap.Tests.Infrastructure;

namespace LlamaSwap.Tests.TestUpstream;

/// <summary>A test upstream started directly (no supervisor), killed on disposal.</summary>
internal sealed class RunningTestUpstream : IAsyncDisposable
{
    private readonly Process _process;

    private RunningTestUpstream(Process process, int port)
    {
        _process = process;
        BaseAddress = new Uri($"http://127.0.0.1:{port}/");
        Client = new HttpClient { BaseAddress = BaseAddress };
    }

    public Uri BaseAddress { get; }

    public HttpClient Client { get; }

    public int Pid => _process.Id;

    public Process Process => _process;

    public static async Task<RunningTestUpstream> StartAsync(params string[] extraArgs)
    {
        var port = FreePorts.Next();
        var argv = TestUpstreamBinary.Command(port, extraArgs);
        var startInfo = new ProcessStartInfo(argv[0], argv[1..]) { RedirectStandardOutput = true, RedirectStandardError = true };
        var upstream = new RunningTestUpstream(Process.Start(startInfo)!, port);
        upstream._process.BeginOutputReadLine();
        upstream._process.BeginErrorReadLine();
        try
        {
            await Eventually.TrueAsync(upstream.IsHealthyAsync, "the test upstream answers /health", TimeSpan.FromSeconds(20));
        }
        catch
        {
            await upstream.DisposeAsync();
            throw;
        }

        return upstream;
    }

    private async Task<bool> IsHealthyAsync()
    {
        try
        {
            using var response = await Client.GetAsync("health");
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}
