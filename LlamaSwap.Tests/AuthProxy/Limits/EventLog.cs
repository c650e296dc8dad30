using Microsoft.Extensions.Logging;

namespace LlamaSwap.Tests.AuthProxy.Limits;

/// <summary>A logger that keeps the event ids it was given, to count "once per outage" messages.</summary>
internal sealed class EventLog<T> : ILogger<T>
{
    private readonly List<int> _events = [];

    public IReadOnlyList<int> Events
    {
        get
        {
            lock (_events)
            {
                return [.. _events];
            }
        }
    }

    public int Count(int eventId) => Events.Count(e => e == eventId);

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        lock (_events)
        {
            _events.Add(eventId.Id);
        }
    }
}
