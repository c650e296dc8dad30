using LlamaSwap.AuthProxy.Keys;
using LlamaSwap.Core.Configuration;
using LlamaSwap.Core.Http;
using LlamaSwap.Gateway.Routing;

namespace LlamaSwap.AuthProxy.Scopes;

/// <summary>
/// After the key check: refuses (403) a request outside the key's scopes, by the gateway's own route
/// catalogue (<see cref="GatewayRoutes"/>), before anything reaches the gateway. A route the catalogue
/// does not know needs the admin scope. Which models a key may use is judged by the gateway on the
/// request's final target (docs/design.md); this proxy never reads a body.
/// </summary>
internal sealed partial class ScopeMiddleware(RequestDelegate next, ILogger<ScopeMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (context.Features.Get<AuthenticatedKey>()?.Key is not { Scopes: not ApiKeyScopes.All } key)
        {
            await next(context);
            return;
        }

        var request = context.Request;
        if (RequestPath.Normalize(request.Path.Value) is not { } path)
        {
            Log.AmbiguousPath(logger, key.Name, request.Path.Value ?? "");
            await AnthropicErrorResponses.WriteForRouteAsync(context, StatusCodes.Status400BadRequest, "ambiguous request path");
            return;
        }

        var scope = Classify(request.Method, path);
        if ((key.Scopes & scope) == 0)
        {
            Log.ScopeRefused(logger, key.Name, request.Method, path, scope);
            await AnthropicErrorResponses.WriteForRouteAsync(
                context, StatusCodes.Status403Forbidden, $"this key lacks the {Describe(scope)} scope for {request.Method} {path}");
            return;
        }

        await next(context);
    }

    /// <summary>
    /// The scopes a request accepts (any one of them admits it): its catalogue route's, admin when the
    /// catalogue has none (closed by default). The model list takes inference or read: clients list
    /// the models before they infer, and the gateway shows a key only its own models.
    /// </summary>
    /// <param name="normalizedPath">From <see cref="RequestPath.Normalize"/>.</param>
    public static ApiKeyScopes Classify(string method, string normalizedPath)
        => GatewayRoutes.Match(method, normalizedPath) is { Scope: not ApiKeyScopes.None } route ? route.Scope : ApiKeyScopes.Admin;

    /// <summary>"inference", or "inference or read" for a route that accepts either.</summary>
    private static string Describe(ApiKeyScopes scope)
        => string.Join(" or ", Enum.GetValues<ApiKeyScopes>()
            .Where(s => s is not (ApiKeyScopes.None or ApiKeyScopes.All) && scope.HasFlag(s))
            .Select(s => s.ToString().ToLowerInvariant()));

    private static partial class Log
    {
        [LoggerMessage(EventId = 1610, Level = LogLevel.Information, Message = "Key {KeyName} lacks the {Scope} scope for {Method} {Path}")]
        public static partial void ScopeRefused(ILogger logger, string keyName, string method, string path, ApiKeyScopes scope);

        [LoggerMessage(EventId = 1612, Level = LogLevel.Information, Message = "Refused the ambiguous path {Path} for key {KeyName}")]
        public static partial void AmbiguousPath(ILogger logger, string keyName, string path);
    }
}
