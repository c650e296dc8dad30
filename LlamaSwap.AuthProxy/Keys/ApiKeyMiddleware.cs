using LlamaSwap.Core.Configuration;
using LlamaSwap.Core.Http;
using LlamaSwap.Core.Security;
using LlamaSwap.Gateway.Routing;

namespace LlamaSwap.AuthProxy.Keys;

/// <summary>
/// Refuses requests without a valid, unexpired key (reference section 4), except the public
/// endpoints, and records which key was used as the <see cref="AuthenticatedKey"/> feature.
/// </summary>
internal sealed partial class ApiKeyMiddleware(RequestDelegate next, ApiKeyHolder holder, TimeProvider time, ILogger<ApiKeyMiddleware> logger)
{
    public const string UnauthorizedMessage = "unauthorized: invalid or missing API key";

    public async Task InvokeAsync(HttpContext context)
    {
        // Only this proxy says which key a request used: a client-sent claim must never reach the gateway.
        context.Request.Headers.Remove(KeyClaimSigner.HeaderName);

        var keys = holder.Current;
        if (keys.IsOpen || IsExempt(context.Request))
        {
            await next(context);
            return;
        }

        if (keys.Match(ApiKeyExtractor.Extract(context.Request.Headers)) is { } key)
        {
            if (!key.IsExpiredAt(time.GetUtcNow()))
            {
                context.Features.Set(new AuthenticatedKey(key));
                await next(context);
                return;
            }

            // Refused exactly like an unknown key, so an expired key learns nothing more than a wrong one.
            Log.ExpiredKey(logger, key.Name);
        }

        // The Basic challenge makes browsers prompt, so the UI works with any user name + key.
        context.Response.Headers.WWWAuthenticate = "Basic realm=\"llama-swap\"";
        await AnthropicErrorResponses.WriteForRouteAsync(context, StatusCodes.Status401Unauthorized, UnauthorizedMessage);
    }

    /// <summary>
    /// Health probes, CORS preflights and the two redirects need no key. <c>/health</c>, <c>/alive</c>
    /// and <c>/ready</c> are answered by this proxy itself (service defaults), so probes see the proxy
    /// (and, for <c>/ready</c>, whether it reaches the gateway and Redis; no addresses are shown).
    /// </summary>
    internal static bool IsExempt(HttpRequest request)
    {
        var path = request.Path.Value ?? "";
        if (HttpMethods.IsOptions(request.Method) || path == "/favicon.ico")
        {
            return true;
        }

        // The gateway's public routes (the catalogue's keyless entries) and this proxy's own probes.
        return (HttpMethods.IsGet(request.Method) && path is "/health" or "/alive" or "/ready")
               || GatewayRoutes.Match(request.Method, path) is { Scope: ApiKeyScopes.None };
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1600, Level = LogLevel.Information, Message = "Refused the expired API key {KeyName}")]
        public static partial void ExpiredKey(ILogger logger, string keyName);
    }
}
