namespace LlamaSwap.Core.Configuration.Yaml;

/// <summary>Where a node sits in the (env-expanded) YAML text; indexes are character offsets.</summary>
internal readonly record struct SourceSpan(int Line, int Column, int StartIndex, int EndIndex)
{
    public bool Contains(int index) => index >= StartIndex && index < EndIndex;
}
