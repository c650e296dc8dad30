namespace LlamaSwap.Core.Configuration.Yaml;

/// <summary>A mapping with string keys, in document order (macro declaration order matters).</summary>
internal sealed record MappingNode(IReadOnlyList<MappingEntry> Entries, SourceSpan Span) : ConfigNode(Span)
{
    public ConfigNode? this[string key] => Entries.FirstOrDefault(e => e.Key == key)?.Value;

    public bool ContainsKey(string key) => Entries.Any(e => e.Key == key);

    public MappingNode Without(string key) => this with { Entries = Entries.Where(e => e.Key != key).ToList() };

    public MappingNode With(string key, ConfigNode value)
    {
        var entries = Entries.ToList();
        var index = entries.FindIndex(e => e.Key == key);
        if (index >= 0)
        {
            entries[index] = entries[index] with { Value = value };
        }
        else
        {
            entries.Add(new MappingEntry(key, value.Span, value));
        }

        return this with { Entries = entries };
    }

    public override string Describe() => "a mapping";
}
