namespace LlamaSwap.Gateway.Logs;

/// <summary>
/// Copies the gateway's own log entries into <see cref="LogHub.Proxy"/> as llama-swap formats them
/// (<c>[&lt;time&gt; ][LEVEL] message</c>), at the level <c>logLevel</c> asks for.
/// </summary>
[ProviderAlias("LlamaSwapProxyLog")]
internal sealed class ProxyLoggerProvider(LogHub hub, TimeProvider timeProvider) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new ProxyLogger(hub, timeProvider);

    public void Dispose()
    {
    }

    private sealed class ProxyLogger(LogHub hub, TimeProvider timeProvider) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None && logLevel >= hub.Settings.MinimumLevel;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var settings = hub.Settings;
            if (logLevel == LogLevel.None || logLevel < settings.MinimumLevel)
            {
                return;
            }

            var message = formatter(state, exception);
            if (exception is not null)
            {
                message = $"{message}: {exception.Message}";
            }

            // One entry, one line: the log views split on line breaks.
            message = message.ReplaceLineEndings(" ");
            hub.WriteProxy(settings.Format(timeProvider.GetLocalNow(), logLevel, message));
        }
    }
}
