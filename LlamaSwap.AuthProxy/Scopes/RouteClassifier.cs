using LlamaSwap.Core.Configuration;
using LlamaSwap.Core.Http.ModelExtraction;

namespace LlamaSwap.AuthProxy.Scopes;

/// <summary>Which scope a request needs (issue: per-key scopes), from its method and normalized path.</summary>
internal static class RouteClassifier
{
    private static readonly HashSet<string> ModelRoutes = new(
        InferenceRoutes.JsonPost.Concat(InferenceRoutes.MultipartPost).Concat(InferenceRoutes.QueryGet),
        StringComparer.Ordinal);

    private static readonly HashSet<string> ReadPaths = new(
        ["/running", "/api/events", "/logs", "/metrics", "/ui", "/api/profiles", "/api/performance", "/api/version", "/api/hardware"],
        StringComparer.Ordinal);

    private static readonly string[] ReadPrefixes = ["/logs/", "/api/metrics/", "/ui/"];

    /// <param name="normalizedPath">From <see cref="RequestPath.Normalize"/>.</param>
    public static RouteClass Classify(string method, string normalizedPath)
    {
        var path = normalizedPath;

        // Any method: the gateway maps the methods it serves and answers the rest itself (404/405).
        if (ModelRoutes.Contains(path))
        {
            return new RouteClass(ApiKeyScopes.Inference, RouteKind.ModelInRequest);
        }

        if (path.StartsWith(RequestPath.UpstreamPrefix, StringComparison.Ordinal))
        {
            return new RouteClass(ApiKeyScopes.Inference, RouteKind.Upstream);
        }

        var isRead = HttpMethods.IsGet(method) || HttpMethods.IsHead(method);
        if (isRead && path is "/v1/models" or "/models")
        {
            return new RouteClass(ApiKeyScopes.Read, RouteKind.ModelList);
        }

        if (isRead && (ReadPaths.Contains(path) || ReadPrefixes.Any(p => path.StartsWith(p, StringComparison.Ordinal))))
        {
            return new RouteClass(ApiKeyScopes.Read, RouteKind.Plain);
        }

        // Everything else needs admin: the named admin routes (/unload, /api/models/unload*,
        // PUT /api/profiles/active, /api/captures/*, /api/inflight/*/cancel, /api/usage*), writes to
        // read paths, and every route this table does not know. A route added to the gateway later
        // is then closed to narrower keys until it is classified here, never open by accident.
        return new RouteClass(ApiKeyScopes.Admin, RouteKind.Plain);
    }
}
