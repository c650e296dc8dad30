using System.Text.Json.Nodes;

namespace LlamaSwap.TestUpstream;

/// <summary>"Tokens" are whitespace-separated words: predictable numbers tests can assert on.</summary>
internal static class TokenCount
{
    public static int Words(string? text) =>
        text is null ? 0 : text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length;

    /// <summary>Words in every text found in a message content shape: a string, content parts, or a list of either.</summary>
    public static int WordsIn(JsonNode? node) => node switch
    {
        JsonValue value when value.TryGetValue<string>(out var text) => Words(text),
        JsonArray array => array.Sum(WordsIn),
        // OpenAI/Anthropic content parts and messages: only text-bearing fields count.
        JsonObject obj => WordsIn(obj["content"]) + WordsIn(obj["text"]),
        _ => 0,
    };

    public static int AtLeastOne(int count) => Math.Max(1, count);
}
