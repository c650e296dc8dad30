using System.Text;
using Microsoft.AspNetCore.Http;

namespace LlamaSwap.ServiceDefaults.Http;

/// <summary>
/// The one answer to a CORS preflight, given by the auth proxy (keyless, as llama-swap does,
/// reference section 4) and by the gateway for direct callers: every <c>OPTIONS</c> request gets it,
/// and nothing of it (a body included) goes further, so no upstream is woken for a preflight.
/// </summary>
public static class CorsPreflight
{
    private const string DefaultAllowedHeaders = "Content-Type, Authorization, Accept, X-Requested-With, x-api-key";

    public static void Answer(HttpContext context)
    {
        var headers = context.Response.Headers;
        headers.AccessControlAllowOrigin = "*";
        headers.AccessControlAllowMethods = "GET, POST, PUT, PATCH, DELETE, OPTIONS";
        headers.AccessControlAllowHeaders = SanitizeRequestedHeaders(context.Request.Headers.AccessControlRequestHeaders.ToString()) ?? DefaultAllowedHeaders;
        headers.AccessControlMaxAge = "86400";
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    /// <summary>Keeps only header-name characters and separators, so the echo cannot inject anything.</summary>
    public static string? SanitizeRequestedHeaders(string? requested)
    {
        if (string.IsNullOrWhiteSpace(requested))
        {
            return null;
        }

        var sanitized = new StringBuilder(Math.Min(requested.Length, 1024));
        foreach (var c in requested.AsSpan(0, Math.Min(requested.Length, 1024)))
        {
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or ',' or ' ')
            {
                sanitized.Append(c);
            }
        }

        var result = sanitized.ToString().Trim(' ', ',');
        return result.Length == 0 ? null : result;
    }
}
