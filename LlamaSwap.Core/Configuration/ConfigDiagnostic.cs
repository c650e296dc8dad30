namespace LlamaSwap.Core.Configuration;

/// <summary>A configuration error or warning with the key path it concerns (e.g. <c>models.llama.ttl</c>).</summary>
public sealed record ConfigDiagnostic(string Path, string Message)
{
    public override string ToString() => string.IsNullOrEmpty(Path) ? Message : $"{Path}: {Message}";
}
