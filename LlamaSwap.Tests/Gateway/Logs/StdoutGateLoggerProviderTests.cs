using LlamaSwap.Core.Configuration;
using LlamaSwap.Gateway.Logs;
using Microsoft.Extensions.Logging;

namespace LlamaSwap.Tests.Gateway.Logs;

public sealed class StdoutGateLoggerProviderTests
{
    [Theory]
    [InlineData("proxy", new[] { "info", "warning", "error" })]
    [InlineData("both", new[] { "info", "warning", "error" })]
    [InlineData("upstream", new[] { "warning", "error" })]
    [InlineData("none", new[] { "warning", "error" })]
    public void OwnLinesBelowWarning_ReachTheConsoleOnlyWhenLogToStdoutIncludesProxy(string logToStdout, string[] expected)
    {
        var hub = new LogHub();
        hub.Apply(new LlamaSwapConfig { LogToStdout = logToStdout });
        var console = new RecordingProvider();
        using var gate = new StdoutGateLoggerProvider(console, hub);
        var logger = gate.CreateLogger("LlamaSwap.Test");

        logger.LogInformation("info");
        logger.LogWarning("warning");
        logger.LogError("error");

        Assert.Equal(expected, console.Messages);
    }

    private sealed class RecordingProvider : ILoggerProvider
    {
        public List<string> Messages { get; } = [];

        public ILogger CreateLogger(string categoryName) => new Recorder(Messages);

        public void Dispose()
        {
        }

        private sealed class Recorder(List<string> messages) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
                => messages.Add(formatter(state, exception));
        }
    }
}
