namespace LlamaSwap.Core.Events;

/// <summary>
/// Fire-and-forget messages between services (Redis pub/sub in production): upstream log output
/// from the supervisor to every gateway, and other live events. Delivery is best effort: a message
/// published while Redis is unreachable is lost, never queued, and publishing never blocks serving.
/// </summary>
public interface IEventBus
{
    /// <summary>Publishes <paramref name="message"/> on <paramref name="channel"/>; never throws for transport failures.</summary>
    Task PublishAsync(string channel, string message);

    /// <summary>
    /// Calls <paramref name="onMessage"/> for every message on <paramref name="channel"/> until the
    /// returned handle is disposed. Messages of one channel arrive in publish order; the handler must be quick.
    /// </summary>
    Task<IAsyncDisposable> SubscribeAsync(string channel, Action<string> onMessage, CancellationToken cancellationToken = default);
}

/// <summary>Channel names shared by the services.</summary>
public static class EventChannels
{
    /// <summary>Upstream output lines: JSON <c>UpstreamLogMessage</c> published by the supervisor.</summary>
    public const string UpstreamLogs = "llamaswap:logs:upstream";
}
