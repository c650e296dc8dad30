namespace LlamaSwap.Core.Configuration.Yaml;

/// <summary>
/// Where a node sits in the (env-expanded) YAML text; indexes are character offsets. <see cref="File"/>
/// names the source when several files were merged (<c>--config-dir</c>): a line number alone would
/// not say which file it is in.
/// </summary>
internal readonly record struct SourceSpan(int Line, int Column, int StartIndex, int EndIndex, string? File = null)
{
    public bool Contains(int index) => index >= StartIndex && index < EndIndex;

    /// <summary>For messages: <c>line 3</c>, or <c>line 3 of conf.d/b.yaml</c>.</summary>
    public string Describe() => File is null ? $"line {Line}" : $"line {Line} of {File}";
}
