using System.Text.Json.Nodes;

namespace LlamaSwap.Core.Configuration;

/// <summary>A model's <c>filters</c>: edits the gateway applies to JSON request bodies (reference 2.1.2).</summary>
/// <remarks>
/// The JSON nodes belong to the loaded config and are shared by every request: read them only,
/// and clone a value before putting it into a request document.
/// </remarks>
public sealed record ModelFilters
{
    /// <summary>No filters configured.</summary>
    public static readonly ModelFilters None = new();

    /// <summary>Dotted key paths removed from the body; trimmed, sorted, de-duplicated, never <c>model</c>.</summary>
    public IReadOnlyList<string> StripParams { get; init; } = [];

    /// <summary>Dotted key paths set on every request for the model; never <c>model</c>. Null when not configured.</summary>
    public JsonObject? SetParams { get; init; }

    /// <summary>
    /// Requested name (after macro expansion) -> dotted key paths set after <see cref="SetParams"/>
    /// when the request asked for exactly that name. Every key but the model's own ID is also an alias.
    /// </summary>
    public IReadOnlyDictionary<string, JsonObject> SetParamsById { get; init; } = new Dictionary<string, JsonObject>(StringComparer.Ordinal);

    /// <summary>Whether any filter besides <c>useModelName</c> could change a body.</summary>
    public bool IsEmpty => StripParams.Count == 0 && (SetParams is null || SetParams.Count == 0) && SetParamsById.Count == 0;
}
