using System.Collections.Concurrent;
using System.Text.Json;
using LlamaSwap.Core.Contracts;
using LlamaSwap.Core.Redis;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace LlamaSwap.Core.State;

/// <summary>
/// Model state in Redis: a hash <c>llamaswap:models</c> (field = model id, value = JSON record) and
/// state-change events on the channel <c>llamaswap:events</c>. Records written by this process are
/// remembered and written again when the connection is restored, so a Redis restart (which loses
/// everything: the server runs without persistence) heals itself without any model restarting.
/// </summary>
public sealed partial class RedisModelStateStore : IModelStateStore, IAsyncDisposable
{
    public const string ModelsKey = "llamaswap:models";
    public const string EventsChannel = "llamaswap:events";

    private const int RepublishAttempts = 25;
    private static readonly TimeSpan RepublishRetryDelay = TimeSpan.FromMilliseconds(200);

    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web);

    private readonly ConcurrentDictionary<string, ModelStateRecord> _published = new(StringComparer.Ordinal);
    private readonly RedisConnector _redis;
    private readonly ILogger<RedisModelStateStore> _logger;

    /// <param name="redis">The process's Redis connection (not owned: disposed by whoever created it).</param>
    public RedisModelStateStore(RedisConnector redis, ILogger<RedisModelStateStore> logger)
    {
        _logger = logger;
        _redis = redis;
        _redis.Restored += OnRestored;
    }

    public async Task PublishAsync(ModelStateRecord record, CancellationToken cancellationToken = default)
    {
        _published[record.Model] = record;
        await WriteAsync(await _redis.GetDatabaseAsync().ConfigureAwait(false), record).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<ModelStateRecord>> GetAllAsync(CancellationToken cancellationToken = default)
    {
        var database = await _redis.GetDatabaseAsync().ConfigureAwait(false);
        var entries = await database.HashGetAllAsync(ModelsKey).ConfigureAwait(false);
        var records = new List<ModelStateRecord>(entries.Length);
        foreach (var entry in entries)
        {
            var record = Deserialize(entry.Value);
            if (record is not null)
            {
                records.Add(record);
            }
        }

        records.Sort((a, b) => string.CompareOrdinal(a.Model, b.Model));
        return records;
    }

    public async Task<IAsyncDisposable> SubscribeAsync(Func<ModelStateRecord, Task> onChange, CancellationToken cancellationToken = default)
    {
        var subscriber = await _redis.GetSubscriberAsync().ConfigureAwait(false);
        Action<RedisChannel, RedisValue> handler = (channel, value) =>
        {
            var record = Deserialize(value);
            if (record is not null)
            {
                _ = InvokeAsync(onChange, record);
            }
        };
        await subscriber.SubscribeAsync(RedisChannel.Literal(EventsChannel), handler).ConfigureAwait(false);
        return new Subscription(subscriber, handler);
    }

    public ValueTask DisposeAsync()
    {
        _redis.Restored -= OnRestored;
        return ValueTask.CompletedTask;
    }

    private void OnRestored() => _ = RepublishAsync();

    private async Task RepublishAsync()
    {
        // The restored event fires before the multiplexer routes commands again ("No connection is
        // available"), so the first attempt often fails: retry for a few seconds.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var database = await _redis.GetDatabaseAsync().ConfigureAwait(false);
                foreach (var record in _published.Values)
                {
                    await WriteAsync(database, record).ConfigureAwait(false);
                }

                Log.Republished(_logger, _published.Count);
                return;
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                if (attempt == RepublishAttempts)
                {
                    Log.RepublishFailed(_logger, ex);
                    return;
                }

                await Task.Delay(RepublishRetryDelay).ConfigureAwait(false);
            }
        }
    }

    private static async Task WriteAsync(IDatabase db, ModelStateRecord record)
    {
        var json = JsonSerializer.Serialize(record, s_json);
        await db.HashSetAsync(ModelsKey, record.Model, json).ConfigureAwait(false);
        await db.PublishAsync(RedisChannel.Literal(EventsChannel), json).ConfigureAwait(false);
    }

    private async Task InvokeAsync(Func<ModelStateRecord, Task> onChange, ModelStateRecord record)
    {
        try
        {
            await onChange(record).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // A subscriber's failure must not tear down the Redis callback thread; it is logged, not hidden.
            Log.SubscriberFailed(_logger, record.Model, ex);
        }
    }

    private ModelStateRecord? Deserialize(RedisValue value)
    {
        if (value.IsNullOrEmpty)
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<ModelStateRecord>((string)value!, s_json);
        }
        catch (JsonException ex)
        {
            Log.BadRecord(_logger, ex);
            return null;
        }
    }

    private sealed class Subscription(ISubscriber subscriber, Action<RedisChannel, RedisValue> handler) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await subscriber.UnsubscribeAsync(RedisChannel.Literal(EventsChannel), handler).ConfigureAwait(false);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 900, Level = LogLevel.Information, Message = "Redis connection restored: republished {Count} model states")]
        public static partial void Republished(ILogger logger, int count);

        [LoggerMessage(EventId = 901, Level = LogLevel.Warning, Message = "Republishing model states to Redis failed")]
        public static partial void RepublishFailed(ILogger logger, Exception exception);

        [LoggerMessage(EventId = 902, Level = LogLevel.Warning, Message = "A model state subscriber failed for {Model}")]
        public static partial void SubscriberFailed(ILogger logger, string model, Exception exception);

        [LoggerMessage(EventId = 903, Level = LogLevel.Warning, Message = "Ignoring a malformed model state record from Redis")]
        public static partial void BadRecord(ILogger logger, Exception exception);
    }
}
