namespace LlamaSwap.Core.Configuration.Yaml;

internal sealed record ScalarNode(string Text, ScalarKind Kind, SourceSpan Span) : ConfigNode(Span)
{
    private const int DescribedLength = 80;

    public bool IsNull => Kind == ScalarKind.Null;

    // Errors quote the value, but a whole mistaken file can be one scalar.
    public override string Describe() => IsNull
        ? "null"
        : Text.Length <= DescribedLength ? $"\"{Text}\"" : $"\"{Text[..DescribedLength]}...\" ({Text.Length} characters)";
}
