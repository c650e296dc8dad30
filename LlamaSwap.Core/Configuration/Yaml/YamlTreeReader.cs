using LlamaSwap.Core.Configuration.Loading;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace LlamaSwap.Core.Configuration.Yaml;

/// <summary>
/// Builds a <see cref="ConfigNode"/> tree from YAML parser events. Merge keys (<c>&lt;&lt;: *anchor</c>)
/// are honoured as Go's decoder does (explicit keys win); duplicate keys are reported with their
/// path instead of aborting the whole load.
/// </summary>
internal sealed class YamlTreeReader
{
    private const string MergeKey = "<<";

    private readonly IParser _parser;
    private readonly DiagnosticBag _diagnostics;
    private readonly Dictionary<string, ConfigNode> _anchors = new(StringComparer.Ordinal);

    private YamlTreeReader(IParser parser, DiagnosticBag diagnostics)
    {
        _parser = parser;
        _diagnostics = diagnostics;
    }

    /// <summary>Reads the first document; null when the text is empty or not valid YAML (an error is then recorded).</summary>
    public static ConfigNode? Read(string text, DiagnosticBag diagnostics)
    {
        try
        {
            var parser = new Parser(new StringReader(text));
            var reader = new YamlTreeReader(parser, diagnostics);
            parser.Consume<StreamStart>();
            if (!parser.TryConsume<DocumentStart>(out _))
            {
                return null;
            }

            return reader.ReadNode(string.Empty);
        }
        catch (YamlException e)
        {
            diagnostics.Error(string.Empty, $"invalid YAML at line {e.Start.Line}, column {e.Start.Column}: {Innermost(e).Message}");
            return null;
        }
    }

    private ConfigNode ReadNode(string path)
    {
        if (_parser.TryConsume<AnchorAlias>(out var alias))
        {
            if (_anchors.TryGetValue(alias.Value.Value, out var target))
            {
                return target;
            }

            throw new YamlException(alias.Start, alias.End, $"unknown anchor '{alias.Value.Value}'");
        }

        ConfigNode node;
        AnchorName anchor;
        if (_parser.TryConsume<Scalar>(out var scalar))
        {
            anchor = scalar.Anchor;
            var tag = scalar.Tag.IsEmpty ? null : scalar.Tag.Value;
            var kind = ScalarResolver.Resolve(scalar.Value, scalar.Style == ScalarStyle.Plain, tag);
            node = new ScalarNode(scalar.Value, kind, SpanOf(scalar.Start, scalar.End));
        }
        else if (_parser.TryConsume<SequenceStart>(out var sequenceStart))
        {
            anchor = sequenceStart.Anchor;
            var items = new List<ConfigNode>();
            SequenceEnd sequenceEnd;
            while (!_parser.TryConsume(out sequenceEnd!))
            {
                items.Add(ReadNode(ConfigPath.Index(path, items.Count)));
            }

            node = new SequenceNode(items, SpanOf(sequenceStart.Start, sequenceEnd.End));
        }
        else
        {
            var mappingStart = _parser.Consume<MappingStart>();
            anchor = mappingStart.Anchor;
            node = ReadMapping(path, mappingStart);
        }

        if (!anchor.IsEmpty)
        {
            _anchors[anchor.Value] = node;
        }

        return node;
    }

    private MappingNode ReadMapping(string path, MappingStart start)
    {
        var entries = new List<MappingEntry>();
        var merged = new List<MappingEntry>();
        var mergeIndex = -1;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        MappingEnd mappingEnd;
        while (!_parser.TryConsume(out mappingEnd!))
        {
            var keyStart = _parser.Current!.Start;
            var isMergeKey = _parser.Current is Scalar { Value: MergeKey, Style: ScalarStyle.Plain };
            var keyNode = ReadNode(path);
            var keyPath = keyNode is ScalarNode k ? ConfigPath.Child(path, k.Text) : path;
            var value = ReadNode(keyPath);

            if (isMergeKey)
            {
                mergeIndex = mergeIndex < 0 ? entries.Count : mergeIndex;
                AddMerged(merged, value, keyPath);
                continue;
            }

            if (keyNode is not ScalarNode keyScalar)
            {
                _diagnostics.Error(path, $"line {keyStart.Line}: mapping keys must be scalars, got {keyNode.Describe()}");
                continue;
            }

            if (!seen.Add(keyScalar.Text))
            {
                _diagnostics.Error(keyPath, $"duplicate key '{keyScalar.Text}' (line {keyStart.Line})");
                continue;
            }

            entries.Add(new MappingEntry(keyScalar.Text, keyScalar.Span, value));
        }

        if (mergeIndex >= 0)
        {
            entries.InsertRange(mergeIndex, merged.Where(e => seen.Add(e.Key)));
        }

        return new MappingNode(entries, SpanOf(start.Start, mappingEnd.End));
    }

    // A merge value is a mapping or a list of mappings; earlier mappings win over later ones.
    private void AddMerged(List<MappingEntry> merged, ConfigNode value, string path)
    {
        var sources = value is SequenceNode sequence ? sequence.Items : [value];
        foreach (var source in sources)
        {
            if (source is not MappingNode mapping)
            {
                _diagnostics.Error(path, $"merge key value must be a mapping or a list of mappings, got {source.Describe()}");
                continue;
            }

            merged.AddRange(mapping.Entries.Where(e => merged.All(m => m.Key != e.Key)));
        }
    }

    private static SourceSpan SpanOf(Mark start, Mark end)
        => new((int)start.Line, (int)start.Column, (int)start.Index, (int)Math.Max(end.Index, start.Index));

    private static Exception Innermost(Exception e)
    {
        while (e.InnerException is not null)
        {
            e = e.InnerException;
        }

        return e;
    }
}
