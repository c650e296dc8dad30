namespace LlamaSwap.Gateway.Logs;

/// <summary>
/// The console logger behind <c>logToStdout</c>: with <c>upstream</c> or <c>none</c> the gateway's
/// own entries below Warning stay off stdout. Warnings and errors always get through, so a gateway
/// that cannot start (bad config, port in use) still says why. Aliased <c>Console</c> so the usual
/// <c>Logging:Console:*</c> settings keep applying.
/// </summary>
[ProviderAlias("Console")]
internal sealed class StdoutGateLoggerProvider(ILoggerProvider console, LogHub hub) : ILoggerProvider, ISupportExternalScope
{
    public ILogger CreateLogger(string categoryName) => new GatedLogger(console.CreateLogger(categoryName), hub);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => (console as ISupportExternalScope)?.SetScopeProvider(scopeProvider);

    public void Dispose() => console.Dispose();

    private sealed class GatedLogger(ILogger inner, LogHub hub) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => Passes(logLevel) && inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (Passes(logLevel))
            {
                inner.Log(logLevel, eventId, state, exception, formatter);
            }
        }

        private bool Passes(LogLevel logLevel) => logLevel >= LogLevel.Warning || hub.Routing.IncludesProxy();
    }
}
