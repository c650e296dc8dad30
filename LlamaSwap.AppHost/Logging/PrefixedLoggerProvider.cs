using LlamaSwap.AppHost.Processes;
using Microsoft.Extensions.Logging;

namespace LlamaSwap.AppHost.Logging;

/// <summary>
/// Logs the AppHost's own messages through the same multiplexer as the children, as
/// <c>[apphost] message</c>, so its lines interleave cleanly with theirs.
/// </summary>
internal sealed class PrefixedLoggerProvider(OutputMultiplexer output, string source) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new PrefixedLogger(output, source);

    public void Dispose()
    {
    }

    private sealed class PrefixedLogger(OutputMultiplexer output, string source) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var level = logLevel switch
            {
                LogLevel.Warning => "warning: ",
                LogLevel.Error or LogLevel.Critical => "error: ",
                _ => "",
            };
            var message = formatter(state, exception);
            output.WriteLine(source, exception is null ? level + message : $"{level}{message}: {exception.Message}");
        }
    }
}
