using System.Text.Encodings.Web;
using System.Text.Json;

namespace LlamaSwap.Gateway.Pipeline.Extraction;

/// <summary>
/// The top-level <c>model</c> string of a JSON body and where its token sits, so the value can be
/// replaced without re-serialising (and so reordering or reformatting) the rest of the document.
/// </summary>
internal readonly record struct JsonModelField(string Value, int TokenStart, int TokenEnd)
{
    private static readonly JsonSerializerOptions ValueOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>
    /// How deep a body may nest: far beyond any real request (a reader's default of 64 refused real
    /// tool schemas), still bounded. The reader keeps depth in a bit stack, not on the call stack.
    /// </summary>
    public const int MaxDepth = 4096;

    /// <summary>Finds the first top-level <c>model</c> string; null when absent, not a string, or the JSON is invalid.</summary>
    public static JsonModelField? Find(ReadOnlySpan<byte> json) => Find(json, out _);

    /// <summary>As <see cref="Find(ReadOnlySpan{byte})"/>; <paramref name="problem"/> says why a body that is not valid JSON (or whose model is unreadable) was refused.</summary>
    public static JsonModelField? Find(ReadOnlySpan<byte> json, out string? problem)
    {
        problem = null;
        JsonModelField? found = null;
        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, MaxDepth = MaxDepth });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                problem = "request body must be a JSON object";
                return null;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isModel = reader.ValueTextEquals("model"u8);
                reader.Read();
                if (isModel && found is null && reader.TokenType == JsonTokenType.String)
                {
                    found = new JsonModelField(reader.GetString()!, (int)reader.TokenStartIndex, (int)reader.BytesConsumed);
                }

                reader.Skip();
            }

            // Read to the end so a truncated or malformed document is refused, not half-used.
            while (reader.Read())
            {
            }
        }
        catch (JsonException ex)
        {
            problem = $"request body is not valid JSON: {ex.Message}";
            return null;
        }
        catch (InvalidOperationException)
        {
            // GetString on a string that is not valid UTF-8.
            problem = "the \"model\" value is not valid UTF-8";
            return null;
        }

        return found;
    }

    /// <summary>The body with this field's value replaced by <paramref name="newValue"/>; every other byte is kept.</summary>
    public byte[] Replace(ReadOnlySpan<byte> json, string newValue)
    {
        var encoded = JsonSerializer.SerializeToUtf8Bytes(newValue, ValueOptions);
        var result = new byte[json.Length - (TokenEnd - TokenStart) + encoded.Length];
        json[..TokenStart].CopyTo(result);
        encoded.CopyTo(result.AsSpan(TokenStart));
        json[TokenEnd..].CopyTo(result.AsSpan(TokenStart + encoded.Length));
        return result;
    }
}
