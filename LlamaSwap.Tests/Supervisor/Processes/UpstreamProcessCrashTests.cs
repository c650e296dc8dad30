using LlamaSwap.Supervisor.Processes;
using LlamaSwap.Tests.Infrastructure;

namespace LlamaSwap.Tests.Supervisor.Processes;

/// <summary>An upstream that dies says how (exit code or signal) and what it wrote last.</summary>
public sealed class UpstreamProcessCrashTests : IAsyncLifetime
{
    private readonly UpstreamProcessHarness _harness = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task StartAsync_UpstreamPrintsAndExits_TheErrorCarriesTheExitCodeAndTheLastLines()
    {
        var process = _harness.Create(_harness.TestUpstreamSpec(
            "oom", "--stderr-line", "loading model", "--stderr-line", "CUDA error: out of memory", "--exit-at-start", "1"));

        var error = await Assert.ThrowsAsync<UpstreamStartException>(() => process.StartAsync(CancellationToken.None));

        Assert.Equal("upstream command exited prematurely (exit code 1); last output:\nloading model\nCUDA error: out of memory", error.Message);
        var exit = await process.Exited.WaitAsync(TimeSpan.FromSeconds(1));
        Assert.Equal(1, exit.ExitCode);
        Assert.Equal(["loading model", "CUDA error: out of memory"], exit.LastOutput);
    }

    [Fact]
    public async Task StartAsync_UpstreamKilledBySignal_TheErrorNamesTheSignal()
    {
        var process = _harness.Create(_harness.TestUpstreamSpec("killed", "--stderr-line", "allocating 80 GiB", "--sigkill-at-start"));

        var error = await Assert.ThrowsAsync<UpstreamStartException>(() => process.StartAsync(CancellationToken.None));

        Assert.Equal("upstream command exited prematurely (killed by signal 9 (SIGKILL)); last output:\nallocating 80 GiB", error.Message);
    }

    [Fact]
    public async Task StartAsync_ChattyUpstream_QuotesOnlyItsLastTenLines_MostRecentLast()
    {
        var process = _harness.Create(new ProcessSpec
        {
            ModelId = "chatty",
            Command = ["sh", "-c", "for i in $(seq 1 30); do echo out $i; done; echo fatal: gave up; exit 2"],
            Proxy = new Uri($"http://127.0.0.1:{FreePorts.Next()}"),
            CheckEndpoint = "/health",
        });

        var error = await Assert.ThrowsAsync<UpstreamStartException>(() => process.StartAsync(CancellationToken.None));

        string[] expected = [.. Enumerable.Range(22, 9).Select(i => $"out {i}"), "fatal: gave up"];
        Assert.Equal($"upstream command exited prematurely (exit code 2); last output:\n{string.Join('\n', expected)}", error.Message);
    }

    [Fact]
    public async Task Exited_AfterACrashWhileServing_CarriesTheExitCodeAndTheLastLines()
    {
        var spec = _harness.TestUpstreamSpec("flaky", "--stderr-line", "ggml: device lost", "--exit-on-request", "3");
        var process = _harness.Create(spec);
        await process.StartAsync(CancellationToken.None);

        using (var client = new HttpClient())
        {
            await Assert.ThrowsAsync<HttpRequestException>(() => client.PostAsync(new Uri(spec.Proxy, "/v1/chat/completions"), new StringContent("{}")));
        }

        var exit = await process.Exited.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(3, exit.ExitCode);
        Assert.Equal("ggml: device lost", exit.LastOutput[0]);
        Assert.Equal("test upstream exiting with code 3 during /v1/chat/completions", exit.LastOutput[^1]);
    }
}
