using System.Globalization;
using LlamaSwap.Core.Configuration;
using LlamaSwap.Core.Limits;
using StackExchange.Redis;

namespace LlamaSwap.AuthProxy.Limits;

/// <summary>
/// The limits in Redis, shared by every auth-proxy replica: one Lua script checks the key's token
/// counter, its concurrency set and its request counter and, only when all pass, counts the request
/// and takes a slot, atomically (a refused request counts against nothing).
/// </summary>
internal sealed class RedisLimitStore
{
    // KEYS: rpm counter, tpm counter, concurrency set. ARGV: rpm limit, tpm limit, max concurrent
    // (-1 = none), now (Unix ms), lease expiry (Unix ms), lease id, window TTL (s), lease TTL (ms).
    // Returns the refusal: 0 admitted, 1 requests, 2 tokens, 3 concurrency.
    private const string AcquireScript = """
        local rpm = tonumber(ARGV[1])
        local tpm = tonumber(ARGV[2])
        local conc = tonumber(ARGV[3])
        if tpm >= 0 and tonumber(redis.call('GET', KEYS[2]) or '0') >= tpm then
          return 2
        end
        if conc >= 0 then
          redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', ARGV[4])
          if redis.call('ZCARD', KEYS[3]) >= conc then
            return 3
          end
        end
        if rpm >= 0 then
          if tonumber(redis.call('GET', KEYS[1]) or '0') >= rpm then
            return 1
          end
          redis.call('INCR', KEYS[1])
          redis.call('EXPIRE', KEYS[1], ARGV[7])
        end
        if conc >= 0 then
          redis.call('ZADD', KEYS[3], ARGV[5], ARGV[6])
          redis.call('PEXPIRE', KEYS[3], ARGV[8])
        end
        return 0
        """;

    public async Task<LimitDecision> TryAcquireAsync(IDatabase db, ApiKeyConfig key, DateTimeOffset now)
    {
        var minute = LimitKeys.Minute(now);
        var leaseId = key.MaxConcurrent is null ? "" : Guid.NewGuid().ToString("N");
        var nowMs = now.ToUnixTimeMilliseconds();
        RedisKey[] keys = [LimitKeys.Requests(key.Name, minute), LimitKeys.Tokens(key.Name, minute), LimitKeys.Concurrent(key.Name)];
        RedisValue[] args =
        [
            key.RequestsPerMinute ?? -1,
            key.TokensPerMinute ?? -1,
            key.MaxConcurrent ?? -1,
            nowMs,
            nowMs + (long)KeyLimitRules.LeaseTtl.TotalMilliseconds,
            leaseId,
            (long)LimitKeys.WindowTtl.TotalSeconds,
            (long)KeyLimitRules.LeaseTtl.TotalMilliseconds,
        ];
        var result = (long)await db.ScriptEvaluateAsync(AcquireScript, keys, args).ConfigureAwait(false);
        return result switch
        {
            0 => LimitDecision.Admit(key.MaxConcurrent is null ? null : new LimitLease(key.Name, leaseId, InRedis: true)),
            1 => LimitDecision.Refuse(LimitRefusal.RequestsPerMinute, KeyLimitRules.UntilWindowEnd(now)),
            2 => LimitDecision.Refuse(LimitRefusal.TokensPerMinute, KeyLimitRules.UntilWindowEnd(now)),
            3 => LimitDecision.Refuse(LimitRefusal.MaxConcurrent, KeyLimitRules.ConcurrencyRetryAfter),
            _ => throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"limit script answered {result}")),
        };
    }

    public Task ReleaseAsync(IDatabase db, LimitLease lease) => db.SortedSetRemoveAsync(LimitKeys.Concurrent(lease.KeyName), lease.Id);
}
