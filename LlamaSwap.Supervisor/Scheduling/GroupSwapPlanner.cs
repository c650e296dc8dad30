namespace LlamaSwap.Supervisor.Scheduling;

/// <summary>
/// Group eviction rules (reference 3.8), as a pure function: for target T in group G and running
/// model M in group H, M is evicted when H == G and G swaps, or when H != G, G is exclusive and H
/// is not persistent.
/// </summary>
internal sealed class GroupSwapPlanner : ISwapPlanner
{
    private GroupSwapPlanner()
    {
    }

    /// <summary>Stateless: the groups travel on each <see cref="ModelRuntime"/>.</summary>
    public static GroupSwapPlanner Instance { get; } = new();

    public HashSet<string> EvictionFor(ModelRuntime target, IEnumerable<ModelRuntime> running)
    {
        var evict = new HashSet<string>(StringComparer.Ordinal);
        var group = target.Group;
        foreach (var model in running)
        {
            if (model.Id == target.Id)
            {
                continue;
            }

            var other = model.Group;
            var sameGroup = other.Id == group.Id;
            if ((sameGroup && group.Swap) || (!sameGroup && group.Exclusive && !other.Persistent))
            {
                evict.Add(model.Id);
            }
        }

        return evict;
    }

    // The scheduler's own "swap to X: evicting [...]" line says all there is to say.
    public void OnSwapStart(ModelRuntime target, IEnumerable<ModelRuntime> running)
    {
    }
}
