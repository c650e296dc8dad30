using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace LlamaSwap.Gateway.Anthropic;

/// <summary>Small helpers over <see cref="JsonNode"/> shared by the translators.</summary>
internal static class AnthropicJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        // Model output is mostly prose: keep it readable on the wire, JSON stays valid.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string? String(JsonNode? node)
        => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    public static int? Int(JsonNode? node)
        => node is JsonValue value && value.TryGetValue<int>(out var number) ? number : null;

    public static string Serialize(JsonNode node) => node.ToJsonString(Options);

    /// <summary>A fresh <c>msg_</c> id in Anthropic's format.</summary>
    public static string NewMessageId() => "msg_" + Guid.NewGuid().ToString("N")[..24];
}
