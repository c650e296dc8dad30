namespace LlamaSwap.Core.Configuration.Yaml;

internal sealed record ScalarNode(string Text, ScalarKind Kind, SourceSpan Span) : ConfigNode(Span)
{
    public bool IsNull => Kind == ScalarKind.Null;

    public override string Describe() => IsNull ? "null" : $"\"{Text}\"";
}
