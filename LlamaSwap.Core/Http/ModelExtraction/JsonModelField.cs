using System.Text.Encodings.Web;
using System.Text.Json;

namespace LlamaSwap.Core.Http.ModelExtraction;

/// <summary>
/// The top-level <c>model</c> string of a JSON body and where its token sits, so the value can be
/// replaced without re-serialising (and so reordering or reformatting) the rest of the document.
/// </summary>
public readonly record struct JsonModelField(string Value, int TokenStart, int TokenEnd)
{
    private static readonly JsonSerializerOptions ValueOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Finds the first top-level <c>model</c> string; null when absent, not a string, or the JSON is invalid.</summary>
    public static JsonModelField? Find(ReadOnlySpan<byte> json)
    {
        JsonModelField? found = null;
        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
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

            // Read to the end so a truncated or malformed document counts as "no model".
            while (reader.Read())
            {
            }
        }
        catch (JsonException)
        {
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
