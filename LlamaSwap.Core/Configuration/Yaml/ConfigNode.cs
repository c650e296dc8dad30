namespace LlamaSwap.Core.Configuration.Yaml;

/// <summary>
/// An immutable YAML value tree. The loader keeps its own tree rather than YamlDotNet's mutable
/// one because macro substitution is per model, and an anchor shared by two models must not carry
/// one model's substitutions into the other.
/// </summary>
internal abstract record ConfigNode(SourceSpan Span)
{
    /// <summary>A short description used in type errors, e.g. <c>a mapping</c>.</summary>
    public abstract string Describe();
}
