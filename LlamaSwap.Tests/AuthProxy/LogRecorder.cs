using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace LlamaSwap.Tests.AuthProxy;

/// <summary>Keeps every log entry (level, event id, formatted message): a logger, or a provider for a whole host.</summary>
internal sealed class LogRecorder : ILoggerProvider, ILogger
{
    private readonly ConcurrentQueue<LogEntry> _entries = new();

    public IReadOnlyList<LogEntry> Entries => [.. _entries];

    public IReadOnlyList<LogEntry> WithId(int eventId) => Entries.Where(e => e.EventId == eventId).ToList();

    public ILogger CreateLogger(string categoryName) => this;

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        => _entries.Enqueue(new LogEntry(logLevel, eventId.Id, formatter(state, exception)));

    public void Dispose()
    {
    }
}

internal sealed record LogEntry(LogLevel Level, int EventId, string Message);
