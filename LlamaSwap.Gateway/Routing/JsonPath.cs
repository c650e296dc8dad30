using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace LlamaSwap.Gateway.Routing;

/// <summary>
/// Dotted key paths into a JSON document, as filters use them (<c>chat_template_kwargs.reasoning_effort</c>):
/// each segment names an object property, or an existing index when the node is an array;
/// <c>\.</c> keeps a literal dot inside a name.
/// </summary>
internal static class JsonPath
{
    public static IReadOnlyList<string> Split(string path)
    {
        var segments = new List<string>();
        var current = new StringBuilder();
        for (var i = 0; i < path.Length; i++)
        {
            if (path[i] == '\\' && i + 1 < path.Length && path[i + 1] == '.')
            {
                current.Append('.');
                i++;
            }
            else if (path[i] == '.')
            {
                segments.Add(current.ToString());
                current.Clear();
            }
            else
            {
                current.Append(path[i]);
            }
        }

        segments.Add(current.ToString());
        return segments;
    }

    /// <summary>Removes the node at <paramref name="path"/>; false when there was nothing to remove.</summary>
    public static bool Remove(JsonObject root, string path)
    {
        var segments = Split(path);
        JsonNode? parent = root;
        for (var i = 0; i < segments.Count - 1 && parent is not null; i++)
        {
            parent = Child(parent, segments[i]);
        }

        var last = segments[^1];
        switch (parent)
        {
            case JsonObject obj:
                return obj.Remove(last);
            case JsonArray array when TryIndex(array, last, out var index):
                array.RemoveAt(index);
                return true;
            default:
                return false;
        }
    }

    /// <summary>
    /// Sets a copy of <paramref name="value"/> at <paramref name="path"/>, creating (or replacing
    /// scalar) intermediate nodes with objects; false when nothing changed (an equal value was
    /// already there, or the path runs through an array by something other than an existing index).
    /// </summary>
    public static bool Set(JsonObject root, string path, JsonNode? value)
    {
        var segments = Split(path);
        JsonNode parent = root;
        for (var i = 0; i < segments.Count - 1; i++)
        {
            var child = Child(parent, segments[i]);
            if (child is not (JsonObject or JsonArray))
            {
                child = new JsonObject();
                if (!Assign(parent, segments[i], child))
                {
                    return false;
                }
            }

            parent = child;
        }

        var last = segments[^1];
        var existing = parent switch
        {
            JsonObject obj when obj.TryGetPropertyValue(last, out var node) => new Existing(node),
            JsonArray array when TryIndex(array, last, out var index) => new Existing(array[index]),
            _ => null,
        };
        if (existing is not null && JsonNode.DeepEquals(existing.Node, value))
        {
            return false;
        }

        // The value belongs to the shared config; a node can have only one parent.
        return Assign(parent, last, value?.DeepClone());
    }

    private static JsonNode? Child(JsonNode parent, string segment) => parent switch
    {
        JsonObject obj => obj[segment],
        JsonArray array when TryIndex(array, segment, out var index) => array[index],
        _ => null,
    };

    private static bool Assign(JsonNode parent, string segment, JsonNode? value)
    {
        switch (parent)
        {
            case JsonObject obj:
                obj[segment] = value;
                return true;
            case JsonArray array when TryIndex(array, segment, out var index):
                array[index] = value;
                return true;
            default:
                // An array takes no property names, and growing one is not what a path means here.
                return false;
        }
    }

    private static bool TryIndex(JsonArray array, string segment, out int index)
        => int.TryParse(segment, NumberStyles.None, CultureInfo.InvariantCulture, out index) && index < array.Count;

    // Distinguishes "property present with JSON null" from "absent".
    private sealed record Existing(JsonNode? Node);
}
