using LlamaSwap.Core.Redis;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace LlamaSwap.Core.Events;

/// <summary>
/// <see cref="IEventBus"/> on Redis pub/sub. StackExchange.Redis delivers one channel's messages in
/// order (its default, non-concurrent delivery), and re-subscribes by itself after a reconnect.
/// </summary>
public sealed partial class RedisEventBus : IEventBus
{
    private readonly RedisConnector _redis;
    private readonly ILogger<RedisEventBus> _logger;
    private int _publishFailures;

    /// <param name="redis">The process's Redis connection (not owned: disposed by whoever created it).</param>
    public RedisEventBus(RedisConnector redis, ILogger<RedisEventBus> logger)
    {
        _logger = logger;
        _redis = redis;
    }

    public async Task PublishAsync(string channel, string message)
    {
        try
        {
            var subscriber = await _redis.GetSubscriberAsync().ConfigureAwait(false);
            await subscriber.PublishAsync(RedisChannel.Literal(channel), message, CommandFlags.FireAndForget).ConfigureAwait(false);
            Interlocked.Exchange(ref _publishFailures, 0);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            // Best effort by contract; say so once per outage rather than once per message.
            if (Interlocked.Increment(ref _publishFailures) == 1)
            {
                Log.PublishFailed(_logger, channel, ex);
            }
        }
    }

    public async Task<IAsyncDisposable> SubscribeAsync(string channel, Action<string> onMessage, CancellationToken cancellationToken = default)
    {
        var subscriber = await _redis.GetSubscriberAsync().ConfigureAwait(false);
        Action<RedisChannel, RedisValue> handler = (_, value) =>
        {
            if (value.IsNull)
            {
                return;
            }

            try
            {
                onMessage((string)value!);
            }
            catch (Exception ex)
            {
                // A failing handler must not tear down the Redis callback thread; it is logged, not hidden.
                Log.HandlerFailed(_logger, channel, ex);
            }
        };
        await subscriber.SubscribeAsync(RedisChannel.Literal(channel), handler).ConfigureAwait(false);
        return new Subscription(subscriber, channel, handler);
    }

    private sealed class Subscription(ISubscriber subscriber, string channel, Action<RedisChannel, RedisValue> handler) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await subscriber.UnsubscribeAsync(RedisChannel.Literal(channel), handler).ConfigureAwait(false);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 910, Level = LogLevel.Warning, Message = "Publishing to Redis channel {Channel} failed; live events are dropped until Redis is back")]
        public static partial void PublishFailed(ILogger logger, string channel, Exception exception);

        [LoggerMessage(EventId = 911, Level = LogLevel.Warning, Message = "A handler for Redis channel {Channel} failed")]
        public static partial void HandlerFailed(ILogger logger, string channel, Exception exception);
    }
}
