using System.Collections.Concurrent;
using System.Text;
using LlamaSwap.Core.Configuration;
using LlamaSwap.Core.Events;
using LlamaSwap.Core.Logs;
using LlamaSwap.Supervisor.Logs;
using LlamaSwap.Supervisor.Processes;
using LlamaSwap.Tests.Infrastructure;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace LlamaSwap.Tests.Supervisor.Logs;

public sealed class UpstreamLogPublisherTests
{
    [Fact]
    public async Task OutputLines_ArePublishedInOrder_AsUpstreamLogMessages()
    {
        var bus = new InMemoryEventBus();
        var received = new ConcurrentQueue<UpstreamLogMessage?>();
        await using var subscription = await bus.SubscribeAsync(EventChannels.UpstreamLogs, json => received.Enqueue(UpstreamLogMessage.FromJson(json)));
        var output = new UpstreamOutput(NullLogger<UpstreamOutput>.Instance, TimeProvider.System);
        using var publisher = new UpstreamLogPublisher(output, bus, NullLogger<UpstreamLogPublisher>.Instance);
        await publisher.StartAsync(CancellationToken.None);

        for (var i = 0; i < 100; i++)
        {
            output.Append(i % 2 == 0 ? "org/m1" : "m2", UpstreamStream.StdOut, $"line {i}");
        }

        output.Append("org/m1", UpstreamStream.StopCommand, "stopped");
        await Eventually.TrueAsync(() => received.Count == 101, "every line was published", TimeSpan.FromSeconds(30));
        await publisher.StopAsync(CancellationToken.None);

        var messages = received.ToArray();
        Assert.All(messages, Assert.NotNull);
        Assert.Equal(Enumerable.Range(0, 100).Select(i => $"line {i}\n").Append("stopped\n"), messages.Select(m => m!.Text));
        Assert.Equal(new UpstreamLogMessage("org/m1", "stopped\n"), messages[^1]);
        Assert.Equal("m2", messages[1]!.Model);
    }

    [Fact]
    public void CombinedHistory_InterleavesEveryModelsLines()
    {
        var output = new UpstreamOutput(NullLogger<UpstreamOutput>.Instance, TimeProvider.System, new LlamaSwapConfig { LogToStdout = "both" });

        output.Append("a", UpstreamStream.StdOut, "from a");
        output.Append("b", UpstreamStream.StdErr, "from b");
        output.Append("a", UpstreamStream.StdOut, "again a");

        Assert.Equal("from a\nfrom b\nagain a\n", Encoding.UTF8.GetString(output.GetCombinedHistory()));
        Assert.Equal("from a\nagain a\n", output.GetHistory("a"));
    }

    [Theory]
    [InlineData("proxy", LogLevel.Debug)]
    [InlineData("none", LogLevel.Debug)]
    [InlineData("upstream", LogLevel.Information)]
    [InlineData("both", LogLevel.Information)]
    public void OutputLines_ReachTheConsoleAtInformation_OnlyWhenLogToStdoutIncludesUpstream(string logToStdout, LogLevel expected)
    {
        var logger = new LevelRecorder();
        var output = new UpstreamOutput(logger, TimeProvider.System, new LlamaSwapConfig { LogToStdout = logToStdout });

        output.Append("m1", UpstreamStream.StdOut, "hello");

        Assert.Equal([expected], logger.Levels);
    }

    private sealed class LevelRecorder : ILogger<UpstreamOutput>
    {
        public List<LogLevel> Levels { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            => Levels.Add(logLevel);
    }
}
