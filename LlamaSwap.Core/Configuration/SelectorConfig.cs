using System.Text.Json.Nodes;

namespace LlamaSwap.Core.Configuration;

/// <summary>How a selector picks its target per request (reference 1.10).</summary>
public static class SelectorStrategies
{
    /// <summary>Always the first target.</summary>
    public const string Pin = "pin";

    /// <summary>The first ready target, else the first starting one, else the first target.</summary>
    public const string Warm = "warm";

    /// <summary>Fills active targets up to <see cref="SelectorConfig.Spillover"/> in-flight requests each, then starts the next.</summary>
    public const string Spillover = "spillover";

    public static readonly IReadOnlyList<string> All = [Pin, Warm, Spillover];
}

/// <summary>A virtual model ID resolved to one of its targets per request (reference 1.10).</summary>
public sealed record SelectorConfig
{
    public required string Id { get; init; }

    /// <summary>One of <see cref="SelectorStrategies"/>.</summary>
    public required string Strategy { get; init; }

    /// <summary>
    /// Targets as written (model ID, alias or peer model), in order; never empty, never a selector.
    /// The upstream sees the chosen target's name as written here.
    /// </summary>
    public required IReadOnlyList<string> Targets { get; init; }

    /// <summary><c>settings.spillover</c>: in-flight requests per active target before the next one starts (spillover only).</summary>
    public int Spillover { get; init; } = 1;

    public string? Name { get; init; }

    public string? Description { get; init; }

    public bool Unlisted { get; init; }

    /// <summary>User <c>metadata</c>, shown in <c>/v1/models</c>. Read only: shared by all requests.</summary>
    public JsonObject? Metadata { get; init; }
}
