using LlamaSwap.Supervisor.Processes;
using LlamaSwap.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;

namespace LlamaSwap.Tests.Supervisor.Processes;

public sealed class UpstreamOutputTests : IAsyncLifetime
{
    private readonly UpstreamProcessHarness _harness = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task Upstream_StdoutAndStderrLines_AreKeptAndPublished()
    {
        var published = new List<UpstreamOutputLine>();
        _harness.Output.LineWritten += line =>
        {
            lock (published)
            {
                published.Add(line);
            }
        };
        var process = _harness.Create(new ProcessSpec
        {
            ModelId = "chatty",
            Command = ["sh", "-c", "echo hello-out; echo hello-err >&2; exec sleep 300"],
            Proxy = new Uri("http://127.0.0.1:1"),
        });

        await process.StartAsync(CancellationToken.None);

        await Eventually.TrueAsync(
            () =>
            {
                lock (published)
                {
                    return published.Count == 2;
                }
            },
            "both lines were published");
        Assert.Contains(published, l => l is { ModelId: "chatty", Stream: UpstreamStream.StdOut, Text: "hello-out" });
        Assert.Contains(published, l => l is { ModelId: "chatty", Stream: UpstreamStream.StdErr, Text: "hello-err" });
        var history = _harness.Output.GetHistory("chatty");
        Assert.Contains("hello-out\n", history, StringComparison.Ordinal);
        Assert.Contains("hello-err\n", history, StringComparison.Ordinal);
    }

    [Fact]
    public void GetHistory_MoreThanTheLimit_KeepsTheNewestLinesWithinTheLimit()
    {
        var output = new UpstreamOutput(NullLogger<UpstreamOutput>.Instance, TimeProvider.System);
        var line = new string('x', 999);
        for (var i = 0; i < 300; i++)
        {
            output.Append("m1", UpstreamStream.StdOut, $"{i:D3}{line}");
        }

        var history = output.GetHistory("m1");

        Assert.True(history.Length <= UpstreamOutput.MaxHistoryChars, $"history holds {history.Length} chars");
        Assert.True(history.Length > UpstreamOutput.MaxHistoryChars - 1003, "history is trimmed by whole lines only");
        Assert.EndsWith($"299{line}\n", history, StringComparison.Ordinal);
        Assert.DoesNotContain($"000{line}", history, StringComparison.Ordinal);
        Assert.Equal("", output.GetHistory("other"));
    }
}
