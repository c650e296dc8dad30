using System.Text;

namespace LlamaSwap.Gateway.Api;

/// <summary>
/// Answers every <c>OPTIONS</c> request itself (reference section 2 intro): browsers preflight
/// inference calls, and upstreams are never woken just to answer a preflight.
/// </summary>
internal sealed class CorsPreflightMiddleware(RequestDelegate next)
{
    private const string DefaultAllowedHeaders = "Content-Type, Authorization, Accept, X-Requested-With";

    public Task InvokeAsync(HttpContext context)
    {
        if (!HttpMethods.IsOptions(context.Request.Method))
        {
            return next(context);
        }

        var headers = context.Response.Headers;
        headers.AccessControlAllowOrigin = "*";
        headers.AccessControlAllowMethods = "GET, POST, PUT, PATCH, DELETE, OPTIONS";
        headers.AccessControlAllowHeaders = SanitizeRequestedHeaders(context.Request.Headers.AccessControlRequestHeaders.ToString()) ?? DefaultAllowedHeaders;
        headers.AccessControlMaxAge = "86400";
        context.Response.StatusCode = StatusCodes.Status204NoContent;
        return Task.CompletedTask;
    }

    /// <summary>Keeps only header-name characters and separators, so the echo cannot inject anything.</summary>
    internal static string? SanitizeRequestedHeaders(string? requested)
    {
        if (string.IsNullOrWhiteSpace(requested))
        {
            return null;
        }

        var sanitized = new StringBuilder(requested.Length);
        foreach (var c in requested)
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
