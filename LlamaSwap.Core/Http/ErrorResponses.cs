using System.Net;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace LlamaSwap.Core.Http;

/// <summary>An error body rendered for one request: what to send as <c>Content-Type</c> and the body text.</summary>
public sealed record ErrorPayload(string ContentType, string Body);

/// <summary>
/// llama-swap's error envelope (reference section 2.8), shared by every HTTP-facing service so a
/// client sees the same shape whichever hop refused its request.
/// </summary>
public static class ErrorResponses
{
    /// <summary>The <c>src</c> of every JSON error and the prefix of text errors.</summary>
    public const string Source = "llama-swap";

    /// <summary>Machine code of the 429 answered when a model's concurrency limit is reached.</summary>
    public const string ConcurrencyLimitCode = "concurrency_limit";

    private static readonly JsonWriterOptions WriterOptions = new()
    {
        // Messages carry model names and upstream errors: keep them readable, JSON stays valid.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>OpenAI-compatible <c>type</c> and <c>code</c> for an HTTP status.</summary>
    public static (string Type, string Code) Classify(int statusCode) => statusCode switch
    {
        400 => ("invalid_request_error", "bad_request"),
        401 => ("authentication_error", "unauthorized"),
        403 => ("authentication_error", "forbidden"),
        404 => ("invalid_request_error", "not_found"),
        409 => ("invalid_request_error", "conflict"),
        429 => ("rate_limit_error", "rate_limit_exceeded"),
        502 => ("server_error", "bad_gateway"),
        503 => ("server_error", "service_unavailable"),
        504 => ("server_error", "gateway_timeout"),
        >= 400 and < 500 => ("invalid_request_error", "invalid_request"),
        _ => ("server_error", "internal_error"),
    };

    /// <summary>Renders an error for a request's <c>Accept</c> header.</summary>
    /// <param name="code">Overrides the status's default code (e.g. <see cref="ConcurrencyLimitCode"/>).</param>
    public static ErrorPayload Format(int statusCode, string message, string? accept, string? code = null)
    {
        // 429s are read by SDK retry logic, which only understands the JSON shape.
        if (statusCode != StatusCodes.Status429TooManyRequests && accept is not null)
        {
            if (accept.Contains("text/plain", StringComparison.OrdinalIgnoreCase))
            {
                return new ErrorPayload("text/plain; charset=utf-8", $"{Source}: {message}");
            }

            if (accept.Contains("text/html", StringComparison.OrdinalIgnoreCase))
            {
                return new ErrorPayload(
                    "text/html; charset=utf-8",
                    $"<html><body><h1>{Source}</h1><p>{WebUtility.HtmlEncode(message)}</p></body></html>");
            }
        }

        return new ErrorPayload("application/json", FormatJson(statusCode, message, code));
    }

    /// <summary>Writes the error as the response unless the response has already started.</summary>
    /// <returns>False when headers were already sent, so nothing could be written.</returns>
    public static async Task<bool> WriteAsync(HttpContext context, int statusCode, string message, string? code = null)
    {
        var response = context.Response;
        if (response.HasStarted)
        {
            return false;
        }

        var payload = Format(statusCode, message, context.Request.Headers.Accept.ToString(), code);
        var bytes = Encoding.UTF8.GetBytes(payload.Body);
        response.StatusCode = statusCode;
        response.ContentType = payload.ContentType;
        response.ContentLength = bytes.Length;
        await response.Body.WriteAsync(bytes, context.RequestAborted);
        return true;
    }

    /// <summary>The error as a minimal-API result.</summary>
    public static IResult Result(int statusCode, string message, string? code = null)
        => new ErrorResult(statusCode, message, code);

    private static string FormatJson(int statusCode, string message, string? code)
    {
        var (type, defaultCode) = Classify(statusCode);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("src", Source);
            writer.WriteStartObject("error");
            writer.WriteString("message", message);
            writer.WriteString("type", type);
            writer.WriteNull("param");
            writer.WriteString("code", string.IsNullOrEmpty(code) ? defaultCode : code);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private sealed class ErrorResult(int statusCode, string message, string? code) : IResult, IStatusCodeHttpResult
    {
        public int? StatusCode => statusCode;

        public Task ExecuteAsync(HttpContext httpContext) => WriteAsync(httpContext, statusCode, message, code);
    }
}
