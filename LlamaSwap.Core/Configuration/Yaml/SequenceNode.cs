namespace LlamaSwap.Core.Configuration.Yaml;

internal sealed record SequenceNode(IReadOnlyList<ConfigNode> Items, SourceSpan Span) : ConfigNode(Span)
{
    public override string Describe() => "a list";
}
