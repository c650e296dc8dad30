using LlamaSwap.Core.Http;

namespace LlamaSwap.AuthProxy.Keys;

/// <summary>Refuses requests without a valid key (reference section 4), except the public endpoints.</summary>
internal sealed class ApiKeyMiddleware(RequestDelegate next, ApiKeyHolder holder)
{
    public const string UnauthorizedMessage = "unauthorized: invalid or missing API key";

    public async Task InvokeAsync(HttpContext context)
    {
        var keys = holder.Current;
        if (keys.IsOpen || IsExempt(context.Request) || keys.Matches(ApiKeyExtractor.Extract(context.Request.Headers)))
        {
            await next(context);
            return;
        }

        // The Basic challenge makes browsers prompt, so the UI works with any user name + key.
        context.Response.Headers.WWWAuthenticate = "Basic realm=\"llama-swap\"";
        await ErrorResponses.WriteAsync(context, StatusCodes.Status401Unauthorized, UnauthorizedMessage);
    }

    /// <summary>
    /// Health probes, CORS preflights and the two redirects need no key. <c>/health</c> and
    /// <c>/alive</c> are answered by this proxy itself (service defaults), so probes see the proxy.
    /// </summary>
    internal static bool IsExempt(HttpRequest request)
    {
        var path = request.Path.Value ?? "";
        if (HttpMethods.IsOptions(request.Method)
            || path == "/wol-health"
            || path == "/favicon.ico")
        {
            return true;
        }

        return HttpMethods.IsGet(request.Method) && path is "/" or "/health" or "/alive" or "/upstream";
    }
}
