namespace LlamaSwap.AppHost.Resources;

/// <summary>
/// One resource of the application, declared once and rendered by every target (local run, Aspire
/// manifest, docker-compose). Mirrors Aspire's model: a name, a kind, an endpoint and references.
/// </summary>
internal sealed record ResourceSpec
{
    public required string Name { get; init; }

    public required ResourceKind Kind { get; init; }

    /// <summary>Project directory relative to the repo root; null unless <see cref="ResourceKind.Project"/>.</summary>
    public string? ProjectDirectory { get; init; }

    /// <summary>Port for a local run; null = a free loopback port picked at start.</summary>
    public int? Port { get; init; }

    /// <summary>Serves clients from outside the machine (binds every interface) rather than loopback only.</summary>
    public bool External { get; init; }

    /// <summary>Resources whose address this one receives in its environment; they start first.</summary>
    public IReadOnlyList<string> References { get; init; } = [];
}
