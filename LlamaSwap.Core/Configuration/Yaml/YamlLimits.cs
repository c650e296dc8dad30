namespace LlamaSwap.Core.Configuration.Yaml;

/// <summary>
/// Bounds on what one config document may cost to read, so hostile or broken input is refused
/// with an error instead of exhausting memory or the stack. Each is far above any real config:
/// llama-swap's fully annotated example is 30 KB, about 600 nodes, 8 levels deep.
/// </summary>
internal static class YamlLimits
{
    /// <summary>Characters in one file, after <c>${env.NAME}</c> expansion.</summary>
    public const int MaxDocumentChars = 4 * 1024 * 1024;

    /// <summary>
    /// Nodes the document expands to, an alias counting as a full copy of its anchor: the tree is
    /// walked (macros, merge, typed reading) as if expanded, so a "billion laughs" of aliases costs
    /// what it expands to, not what it is written as.
    /// </summary>
    public const int MaxNodes = 250_000;

    /// <summary>Nesting of mappings and lists; the tree is read and walked recursively.</summary>
    public const int MaxDepth = 64;
}
