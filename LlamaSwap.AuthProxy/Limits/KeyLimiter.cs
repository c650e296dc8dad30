using LlamaSwap.Core.Configuration;
using LlamaSwap.Core.Redis;
using StackExchange.Redis;

namespace LlamaSwap.AuthProxy.Limits;

/// <summary>
/// Checks a key's limits: in Redis when it is configured and connected (shared by every proxy
/// replica), else in this process. Never waits for Redis: while it is not connected the local
/// counters answer at once; the switch is logged once per outage and once when Redis is back.
/// </summary>
internal sealed partial class KeyLimiter
{
    private readonly RedisConnector? _redis;
    private readonly RedisLimitStore _redisStore = new();
    private readonly LocalLimitStore _local = new();
    private readonly TimeProvider _time;
    private readonly ILogger<KeyLimiter> _logger;
    private int _redisDown;

    public KeyLimiter(RedisConnector? redis, TimeProvider time, ILogger<KeyLimiter> logger)
    {
        _redis = redis;
        _time = time;
        _logger = logger;
        if (redis is null)
        {
            Log.LocalOnly(logger);
        }
        else
        {
            redis.Start();
        }
    }

    /// <summary>True while limits are counted in this process although Redis is configured.</summary>
    public bool UsingLocalFallback => Volatile.Read(ref _redisDown) == 1;

    public async Task<LimitDecision> TryAcquireAsync(ApiKeyConfig key)
    {
        var now = _time.GetUtcNow();
        if (_redis is not null)
        {
            if (_redis.TryGetDatabase() is { } db)
            {
                try
                {
                    var decision = await _redisStore.TryAcquireAsync(db, key, now);
                    RedisAnswered();
                    return decision;
                }
                catch (Exception ex) when (ex is RedisException or TimeoutException)
                {
                    RedisFailed(ex);
                }
            }
            else if (!_redis.Connecting)
            {
                // Still connecting at start-up is not an outage: count locally without saying so.
                RedisFailed(null);
            }
        }

        return _local.TryAcquire(key, now);
    }

    public async Task ReleaseAsync(LimitLease lease)
    {
        if (!lease.InRedis)
        {
            _local.Release(lease);
            return;
        }

        // A slot that cannot be given back now expires with its lease (KeyLimitRules.LeaseTtl).
        if (_redis?.TryGetDatabase() is not { } db)
        {
            RedisFailed(null);
            return;
        }

        try
        {
            await _redisStore.ReleaseAsync(db, lease);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            RedisFailed(ex);
        }
    }

    private void RedisFailed(Exception? exception)
    {
        if (Interlocked.Exchange(ref _redisDown, 1) == 0)
        {
            Log.RedisDown(_logger, exception);
        }
    }

    private void RedisAnswered()
    {
        if (Volatile.Read(ref _redisDown) == 1 && Interlocked.Exchange(ref _redisDown, 0) == 1)
        {
            Log.RedisBack(_logger);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1700, Level = LogLevel.Warning,
            Message = "Redis is unreachable: key limits are counted in this proxy only until it is back (tokens per minute are not enforced meanwhile)")]
        public static partial void RedisDown(ILogger logger, Exception? exception);

        [LoggerMessage(EventId = 1701, Level = LogLevel.Information, Message = "Redis is back: key limits are shared again")]
        public static partial void RedisBack(ILogger logger);

        [LoggerMessage(EventId = 1702, Level = LogLevel.Information,
            Message = "No Redis configured: key limits are counted in this proxy only (tokens per minute are not enforced)")]
        public static partial void LocalOnly(ILogger logger);
    }
}
