using LlamaSwap.Core.Configuration;
using LlamaSwap.Core.Contracts;
using LlamaSwap.Gateway.Models;

namespace LlamaSwap.Gateway.Selectors;

/// <summary>
/// Picks a selector's target per request (reference 1.10) and, for spillover, keeps the in-flight
/// count of each target so concurrent requests spread instead of all seeing the same idle target.
/// </summary>
/// <remarks>
/// Counts are this gateway's own: with several gateways each spills over on its share of the traffic.
/// </remarks>
internal sealed class SelectorRouter(ModelStateReader states)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, int> _inFlight = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _nextTie = new(StringComparer.Ordinal);

    /// <summary>The chosen target, or null when every target is stopping (spillover only).</summary>
    public async Task<SelectorChoice?> ChooseAsync(LlamaSwapConfig snapshot, SelectorConfig selector, CancellationToken cancellationToken)
    {
        if (selector.Strategy == SelectorStrategies.Pin)
        {
            return new SelectorChoice(selector.Targets[0], null);
        }

        var current = await states.GetAllAsync(cancellationToken);
        var targetStates = selector.Targets.Select(t => StateOf(snapshot, current, t)).ToList();
        if (selector.Strategy == SelectorStrategies.Warm)
        {
            var index = targetStates.IndexOf(ModelStates.Ready);
            if (index < 0)
            {
                index = Math.Max(0, targetStates.IndexOf(ModelStates.Starting));
            }

            return new SelectorChoice(selector.Targets[index], null);
        }

        return ChooseSpillover(snapshot, selector, targetStates);
    }

    /// <summary>The process state of a local target; null for peers or when unknown.</summary>
    private static string? StateOf(LlamaSwapConfig snapshot, IReadOnlyDictionary<string, ModelStateRecord>? current, string target)
        => snapshot.ResolveModelId(target) is { } id && current is not null && current.TryGetValue(id, out var record) ? record.State : null;

    private SelectorChoice? ChooseSpillover(LlamaSwapConfig snapshot, SelectorConfig selector, List<string?> targetStates)
    {
        lock (_lock)
        {
            var active = new List<(int Index, int Count)>();
            var firstCold = -1;
            for (var i = 0; i < selector.Targets.Count; i++)
            {
                if (targetStates[i] == ModelStates.Stopping)
                {
                    continue;
                }

                var count = _inFlight.GetValueOrDefault(Key(snapshot, selector, i));
                if (count > 0 || targetStates[i] is ModelStates.Ready or ModelStates.Starting)
                {
                    active.Add((i, count));
                }
                else if (firstCold < 0)
                {
                    firstCold = i;
                }
            }

            int chosen;
            if (active.Count > 0 && active.Min(a => a.Count) is var least && (least < selector.Spillover || firstCold < 0))
            {
                // Round-robin among equally busy targets so they fill evenly.
                var ties = active.Where(a => a.Count == least).ToList();
                var turn = _nextTie.GetValueOrDefault(selector.Id);
                _nextTie[selector.Id] = turn + 1;
                chosen = ties[turn % ties.Count].Index;
            }
            else if (firstCold >= 0)
            {
                chosen = firstCold;
            }
            else
            {
                return null;
            }

            var key = Key(snapshot, selector, chosen);
            _inFlight[key] = _inFlight.GetValueOrDefault(key) + 1;
            return new SelectorChoice(selector.Targets[chosen], new Reservation(this, key));
        }
    }

    // By resolved name, so an alias and its model count as one target.
    private static string Key(LlamaSwapConfig snapshot, SelectorConfig selector, int index)
    {
        var target = selector.Targets[index];
        return selector.Id + "\n" + (snapshot.ResolveModelId(target) ?? snapshot.ResolvePeer(target)?.Fqn ?? target);
    }

    private void Release(string key)
    {
        lock (_lock)
        {
            if (_inFlight.GetValueOrDefault(key) <= 1)
            {
                _inFlight.Remove(key);
            }
            else
            {
                _inFlight[key]--;
            }
        }
    }

    /// <summary>One in-flight request on a spillover target; disposing it (once) ends it.</summary>
    private sealed class Reservation(SelectorRouter owner, string key) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                owner.Release(key);
            }
        }
    }
}

/// <summary>A selector's pick for one request.</summary>
/// <param name="Target">The target as configured; the request continues as if the client had asked for it.</param>
/// <param name="Reservation">Held until the response is done (spillover); null for the other strategies.</param>
internal sealed record SelectorChoice(string Target, IDisposable? Reservation);
