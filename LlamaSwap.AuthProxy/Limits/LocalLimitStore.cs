using LlamaSwap.Core.Configuration;
using LlamaSwap.Core.Limits;

namespace LlamaSwap.AuthProxy.Limits;

/// <summary>
/// The limits in this process only: used without Redis, and while Redis is unreachable. Enforces
/// requests per minute and concurrency per proxy; tokens per minute need the gateway's counts,
/// which travel through Redis, so they are not enforced here.
/// </summary>
internal sealed class LocalLimitStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, KeyState> _keys = new(StringComparer.Ordinal);

    public LimitDecision TryAcquire(ApiKeyConfig key, DateTimeOffset now)
    {
        var minute = LimitKeys.Minute(now);
        lock (_gate)
        {
            if (!_keys.TryGetValue(key.Name, out var state))
            {
                state = new KeyState();
                _keys[key.Name] = state;
            }

            if (state.Minute != minute)
            {
                state.Minute = minute;
                state.Requests = 0;
            }

            if (key.MaxConcurrent is { } max && state.InFlight >= max)
            {
                return LimitDecision.Refuse(LimitRefusal.MaxConcurrent, KeyLimitRules.ConcurrencyRetryAfter);
            }

            if (key.RequestsPerMinute is { } rpm && state.Requests >= rpm)
            {
                return LimitDecision.Refuse(LimitRefusal.RequestsPerMinute, KeyLimitRules.UntilWindowEnd(now));
            }

            state.Requests++;
            if (key.MaxConcurrent is null)
            {
                return LimitDecision.Admit(null);
            }

            state.InFlight++;
            return LimitDecision.Admit(new LimitLease(key.Name, "", InRedis: false));
        }
    }

    public void Release(LimitLease lease)
    {
        lock (_gate)
        {
            if (_keys.TryGetValue(lease.KeyName, out var state) && state.InFlight > 0)
            {
                state.InFlight--;
            }
        }
    }

    private sealed class KeyState
    {
        public long Minute { get; set; } = -1;

        public int Requests { get; set; }

        public int InFlight { get; set; }
    }
}
