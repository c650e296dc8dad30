namespace LlamaSwap.Core.Configuration;

/// <summary>A swap group (reference section 1.7 / 3.8).</summary>
public sealed record GroupConfig
{
    /// <summary>Name of the implicit group that holds every ungrouped model.</summary>
    public const string DefaultGroupId = "(default)";

    public required string Id { get; init; }

    /// <summary>Members evict each other when true.</summary>
    public bool Swap { get; init; } = true;

    /// <summary>Loading a member evicts models of other non-persistent groups when true.</summary>
    public bool Exclusive { get; init; } = true;

    /// <summary>Members are never evicted by other groups.</summary>
    public bool Persistent { get; init; }

    public IReadOnlyList<string> Members { get; init; } = [];
}
