namespace LlamaSwap.Core.Configuration;

/// <summary>
/// A named set of pins (reference 1.9): while the profile is active, a request for a pin name is
/// rewritten to the pin's target before any other resolution.
/// </summary>
public sealed record ProfileConfig
{
    public required string Id { get; init; }

    public string? Description { get; init; }

    /// <summary>
    /// Pin name -> target as written (model ID, alias, setParamsByID key, peer model or selector);
    /// a null target makes the pin name answer 404 while the profile is active.
    /// </summary>
    public required IReadOnlyDictionary<string, string?> Pins { get; init; }
}
