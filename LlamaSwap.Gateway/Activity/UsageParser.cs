using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;

namespace LlamaSwap.Gateway.Activity;

/// <summary>
/// Token usage from a response body (reference 2.4.2): plain JSON or SSE <c>data:</c> lines; usage
/// under <c>usage</c>, <c>response.usage</c> or <c>message.usage</c> (OpenAI, Responses, Anthropic,
/// Anthropic's message_start + message_delta streams); llama.cpp <c>timings</c> override those;
/// vLLM <c>metrics</c>. Pure: no I/O, no clock.
/// </summary>
internal static class UsageParser
{
    private const int MaxErrorLength = 500;

    /// <summary>Decodes (<paramref name="contentEncoding"/>) then parses; unknown usage when the body cannot be decoded.</summary>
    public static UsageResult Parse(
        ReadOnlyMemory<byte> body, string? contentType, string? contentEncoding, int statusCode, double wallMs, bool truncated = false)
    {
        // A compressed body cut short (only its tail kept) cannot be decompressed.
        var decoded = truncated && !string.IsNullOrEmpty(contentEncoding) ? null : BodyDecoder.Decode(body, contentEncoding);
        return ParseDecoded(decoded is { } bytes ? bytes.Span : [], contentType, statusCode, wallMs, truncated);
    }

    /// <param name="truncated">True when <paramref name="body"/> is only the tail of the response.</param>
    public static UsageResult ParseDecoded(ReadOnlySpan<byte> body, string? contentType, int statusCode, double wallMs, bool truncated = false)
    {
        if (statusCode != StatusCodes.Status200OK)
        {
            return new UsageResult(ActivityTokens.Unknown, wallMs, ErrorMessage(truncated ? [] : body, statusCode));
        }

        var usage = new UsageAccumulator();
        if (IsEventStream(contentType, body))
        {
            ScanEventStream(body, truncated, usage);
        }
        else if (!truncated)
        {
            ReadJson(body, usage);
        }

        return usage.ToResult(wallMs);
    }

    private static bool IsEventStream(string? contentType, ReadOnlySpan<byte> body)
        => contentType?.Contains("text/event-stream", StringComparison.OrdinalIgnoreCase) == true
           || body.StartsWith("data:"u8) || body.StartsWith("event:"u8);

    private static void ScanEventStream(ReadOnlySpan<byte> body, bool truncated, UsageAccumulator usage)
    {
        // The tail of a long stream starts mid-line: skip to the first whole one.
        if (truncated && body.IndexOf((byte)'\n') is var firstNewline and >= 0)
        {
            body = body[(firstNewline + 1)..];
        }

        while (!body.IsEmpty)
        {
            var newline = body.IndexOf((byte)'\n');
            var line = newline < 0 ? body : body[..newline];
            body = newline < 0 ? [] : body[(newline + 1)..];
            line = line.TrimEnd((byte)'\r');
            if (!line.StartsWith("data:"u8))
            {
                continue;
            }

            var data = line[5..].Trim((byte)' ');
            if (data.IsEmpty || data.SequenceEqual("[DONE]"u8) || !MayCarryUsage(data))
            {
                continue;
            }

            ReadJson(data, usage);
        }
    }

    // Most chunks are content deltas: skip them without parsing.
    private static bool MayCarryUsage(ReadOnlySpan<byte> data)
        => data.IndexOf("\"usage\""u8) >= 0 || data.IndexOf("\"timings\""u8) >= 0 || data.IndexOf("\"metrics\""u8) >= 0;

    private static void ReadJson(ReadOnlySpan<byte> json, UsageAccumulator usage)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json.ToArray());
        }
        catch (JsonException)
        {
            return;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Array)
            {
                // /infill answers an array: the last element carries the timings.
                var count = root.GetArrayLength();
                if (count > 0)
                {
                    ReadObject(root[count - 1], usage);
                }

                return;
            }

            ReadObject(root, usage);
        }
    }

    private static void ReadObject(JsonElement root, UsageAccumulator usage)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        if (root.TryGetProperty("usage", out var direct))
        {
            usage.AddUsage(direct);
        }

        foreach (var wrapper in (ReadOnlySpan<string>)["response", "message"])
        {
            if (root.TryGetProperty(wrapper, out var inner) && inner.ValueKind == JsonValueKind.Object
                && inner.TryGetProperty("usage", out var nested))
            {
                usage.AddUsage(nested);
            }
        }

        if (root.TryGetProperty("timings", out var timings))
        {
            usage.AddTimings(timings);
        }

        if (root.TryGetProperty("metrics", out var metrics))
        {
            usage.AddVllmMetrics(metrics);
        }
    }

    private static string ErrorMessage(ReadOnlySpan<byte> body, int statusCode)
    {
        var fromBody = ErrorFromBody(body);
        if (string.IsNullOrWhiteSpace(fromBody))
        {
            return $"{statusCode} {ReasonPhrases.GetReasonPhrase(statusCode)}".TrimEnd();
        }

        return fromBody.Length > MaxErrorLength ? fromBody[..MaxErrorLength] : fromBody;
    }

    private static string? ErrorFromBody(ReadOnlySpan<byte> body)
    {
        if (body.IsEmpty)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(body.ToArray());
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            if (root.TryGetProperty("error", out var error))
            {
                if (error.ValueKind == JsonValueKind.Object && error.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.String)
                {
                    return message.GetString();
                }

                if (error.ValueKind == JsonValueKind.String)
                {
                    return error.GetString();
                }
            }

            foreach (var name in (ReadOnlySpan<string>)["message", "detail"])
            {
                if (root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String)
                {
                    return value.GetString();
                }
            }

            return null;
        }
        catch (JsonException)
        {
            // Not JSON: a short text body is the message itself.
            return body.Length <= MaxErrorLength * 4 ? Encoding.UTF8.GetString(body).Trim() : null;
        }
    }
}
