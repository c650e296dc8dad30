using System.Globalization;
using System.Text.Json.Nodes;
using LlamaSwap.Core.Configuration.Yaml;

namespace LlamaSwap.Core.Configuration.Loading;

/// <summary>
/// Turns YAML values (filters, metadata) into JSON nodes, keeping each scalar's YAML type, so a
/// whole-value macro like <c>port: ${PORT}</c> ends up as a JSON number (reference 1.6 typing rule).
/// </summary>
internal static class JsonNodeConverter
{
    /// <summary>A mapping as a JSON object; null when absent, an error when it is not a mapping.</summary>
    public static JsonObject? ReadObject(ConfigNode? node, string path, ValueReader values)
        => values.Mapping(node, path) is { } mapping ? ToObject(mapping) : null;

    public static JsonObject ToObject(MappingNode mapping)
    {
        var result = new JsonObject();
        foreach (var entry in mapping.Entries)
        {
            result[entry.Key] = ToNode(entry.Value);
        }

        return result;
    }

    public static JsonNode? ToNode(ConfigNode node) => node switch
    {
        ScalarNode scalar => ToValue(scalar),
        SequenceNode sequence => new JsonArray(sequence.Items.Select(ToNode).ToArray()),
        MappingNode mapping => ToObject(mapping),
        _ => null,
    };

    private static JsonValue? ToValue(ScalarNode scalar)
    {
        var text = scalar.Text.Trim();
        switch (scalar.Kind)
        {
            case ScalarKind.Null:
                return null;
            case ScalarKind.Bool when bool.TryParse(text, out var flag):
                return JsonValue.Create(flag);
            case ScalarKind.Int when ScalarResolver.TryParseInt(text, out var number):
                return JsonValue.Create(number);
            case ScalarKind.Float when double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var real) && double.IsFinite(real):
                return JsonValue.Create(real);
            default:
                // Strings, and the few YAML numbers JSON cannot hold (.inf, .nan, out-of-range ints), as text.
                return JsonValue.Create(scalar.Text);
        }
    }
}
