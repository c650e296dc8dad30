namespace LlamaSwap.Core.Configuration;

/// <summary>The values of <c>routing.router.use</c>: which rules decide what runs together.</summary>
public static class RouterNames
{
    /// <summary>Swap groups (<c>groups</c>); the default.</summary>
    public const string Group = "group";

    /// <summary>The set DSL (<c>matrix</c>).</summary>
    public const string Matrix = "matrix";
}
