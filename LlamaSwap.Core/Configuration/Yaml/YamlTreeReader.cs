using LlamaSwap.Core.Configuration.Loading;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace LlamaSwap.Core.Configuration.Yaml;

/// <summary>
/// Builds a <see cref="ConfigNode"/> tree from YAML parser events. Merge keys (<c>&lt;&lt;: *anchor</c>)
/// are honoured as Go's decoder does (explicit keys win); duplicate keys are reported with their
/// path instead of aborting the whole load. Input the parser refuses, or that exceeds
/// <see cref="YamlLimits"/>, is reported with its line, column and the key path being read.
/// </summary>
internal sealed class YamlTreeReader
{
    private const string MergeKey = "<<";

    private readonly IParser _parser;
    private readonly Dictionary<string, Anchored> _anchors = new(StringComparer.Ordinal);
    private readonly DiagnosticBag _diagnostics;
    private readonly string? _file;

    // The innermost node being read: where a syntax error is reported.
    private string _path = string.Empty;

    // Open mappings and lists, and nodes read so far (an alias counting as its anchor's size).
    private int _depth;
    private long _nodes;

    private YamlTreeReader(IParser parser, DiagnosticBag diagnostics, string? file)
    {
        _parser = parser;
        _diagnostics = diagnostics;
        _file = file;
    }

    /// <summary>Reads the first document; null when the text is empty or not valid YAML (an error is then recorded).</summary>
    /// <param name="file">Recorded in every node's span when the text is one of several merged files.</param>
    public static ConfigNode? Read(string text, DiagnosticBag diagnostics, string? file = null)
    {
        if (text.Length > YamlLimits.MaxDocumentChars)
        {
            diagnostics.Error(string.Empty, $"the config is {text.Length} characters long; the limit is {YamlLimits.MaxDocumentChars}");
            return null;
        }

        var scanner = new Scanner(new StringReader(text));
        var reader = new YamlTreeReader(new Parser(scanner), diagnostics, file);
        try
        {
            return reader.ReadDocument();
        }
        catch (YamlException e)
        {
            diagnostics.Error(reader._path, YamlSyntaxError.At(e.Start, Innermost(e).Message));
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's scanner throws a bare one, without a position, when a value inside [ ] or
            // { } goes on at a line indented less than its key: in practice an unclosed bracket.
            diagnostics.Error(reader._path, YamlSyntaxError.At(scanner.CurrentPosition, "a '[' or '{' is not closed before this line"));
        }

        return null;
    }

    private ConfigNode? ReadDocument()
    {
        _parser.Consume<StreamStart>();
        return _parser.TryConsume<DocumentStart>(out _) ? ReadNode(string.Empty) : null;
    }

    private ConfigNode ReadNode(string path)
    {
        var outerPath = _path;
        _path = path;
        var start = _parser.Current?.Start ?? Mark.Empty;
        if (_parser.TryConsume<AnchorAlias>(out var alias))
        {
            if (!_anchors.TryGetValue(alias.Value.Value, out var target))
            {
                throw new YamlException(alias.Start, alias.End, $"unknown anchor '{alias.Value.Value}'");
            }

            // Readers walk an alias as a full copy, so it costs what its anchor expands to.
            Count(target.Nodes, alias.Start);
            _path = outerPath;
            return target.Node;
        }

        Count(1, start);
        var nodesBefore = _nodes;
        ConfigNode node;
        AnchorName anchor;
        if (_parser.TryConsume<Scalar>(out var scalar))
        {
            anchor = scalar.Anchor;
            var tag = scalar.Tag.IsEmpty ? null : scalar.Tag.Value;
            var kind = ScalarResolver.Resolve(scalar.Value, scalar.Style == ScalarStyle.Plain, tag);
            node = new ScalarNode(scalar.Value, kind, SpanOf(scalar.Start, scalar.End));
        }
        else
        {
            if (++_depth > YamlLimits.MaxDepth)
            {
                throw new YamlException(start, start, $"nesting deeper than {YamlLimits.MaxDepth} levels");
            }

            if (_parser.TryConsume<SequenceStart>(out var sequenceStart))
            {
                anchor = sequenceStart.Anchor;
                node = ReadSequence(path, sequenceStart);
            }
            else
            {
                var mappingStart = _parser.Consume<MappingStart>();
                anchor = mappingStart.Anchor;
                node = ReadMapping(path, mappingStart);
            }

            _depth--;
        }

        if (!anchor.IsEmpty)
        {
            _anchors[anchor.Value] = new Anchored(node, _nodes - nodesBefore + 1);
        }

        _path = outerPath;
        return node;
    }

    private void Count(long nodes, Mark at)
    {
        _nodes += nodes;
        if (_nodes > YamlLimits.MaxNodes)
        {
            throw new YamlException(at, at, $"the document expands to more than {YamlLimits.MaxNodes} values (aliases count as copies of their anchor)");
        }
    }

    private SequenceNode ReadSequence(string path, SequenceStart start)
    {
        var items = new List<ConfigNode>();
        SequenceEnd end;
        while (!_parser.TryConsume(out end!))
        {
            items.Add(ReadNode(ConfigPath.Index(path, items.Count)));
        }

        return new SequenceNode(items, SpanOf(start.Start, end.End));
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
            var keyStart = _parser.Current?.Start ?? Mark.Empty;
            var isMergeKey = _parser.Current is Scalar { Value: MergeKey, Style: ScalarStyle.Plain };

            // Consuming an event parses the next one, so a problem in a value shows up while its
            // key is read: the key's path is where to report it.
            var keyNode = ReadNode(_parser.Current is Scalar key ? ConfigPath.Child(path, key.Value) : path);
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
                _diagnostics.Error(path, $"mapping keys must be scalars, got {keyNode.Describe()} at line {keyStart.Line}, column {keyStart.Column}");
                continue;
            }

            if (!seen.Add(keyScalar.Text))
            {
                _diagnostics.Error(keyPath, $"duplicate key '{keyScalar.Text}' at line {keyStart.Line}, column {keyStart.Column}");
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
        var mergedKeys = merged.Select(m => m.Key).ToHashSet(StringComparer.Ordinal);
        var sources = value is SequenceNode sequence ? sequence.Items : [value];
        foreach (var source in sources)
        {
            if (source is not MappingNode mapping)
            {
                _diagnostics.Error(path, $"merge key value must be a mapping or a list of mappings, got {source.Describe()}");
                continue;
            }

            merged.AddRange(mapping.Entries.Where(e => mergedKeys.Add(e.Key)));
        }
    }

    private SourceSpan SpanOf(Mark start, Mark end)
        => new((int)start.Line, (int)start.Column, (int)start.Index, (int)Math.Max(end.Index, start.Index), _file);

    private static Exception Innermost(Exception e)
    {
        while (e.InnerException is not null)
        {
            e = e.InnerException;
        }

        return e;
    }

    private readonly record struct Anchored(ConfigNode Node, long Nodes);
}
