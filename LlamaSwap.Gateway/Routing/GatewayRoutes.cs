using LlamaSwap.Core.Configuration;
using Microsoft.AspNetCore.Routing.Template;

namespace LlamaSwap.Gateway.Routing;

/// <summary>
/// The one route catalogue: every route the gateway serves, with the key scope it needs. The gateway
/// maps its endpoints from these entries (see <c>GatewayRouteMapping</c>) and the auth proxy compiles
/// this same file to classify requests (docs/design.md, "Routes and scopes"), so adding an endpoint
/// is a change in the gateway project only.
/// </summary>
/// <remarks>
/// This file is linked into <c>LlamaSwap.AuthProxy</c>: it may use only Core and ASP.NET types.
/// </remarks>
internal static class GatewayRoutes
{
    /// <summary>POST routes whose JSON body names the model (reference 2.1).</summary>
    public static readonly IReadOnlyList<string> JsonPost =
    [
        "/v1/chat/completions",
        "/v1/responses",
        "/v1/completions",
        "/v1/messages",
        "/v1/messages/count_tokens",
        "/v1/embeddings",
        "/reranking",
        "/rerank",
        "/v1/rerank",
        "/v1/reranking",
        "/infill",
        "/completion",
        "/v1/audio/speech",
        "/v1/audio/voices",
        "/v1/images/generations",
        "/sdapi/v1/txt2img",
        "/sdapi/v1/img2img",
        "/audioapi/v1/tasks/run",
        "/v/chat/completions",
        "/v/responses",
        "/v/completions",
        "/v/messages",
        "/v/messages/count_tokens",
        "/v/embeddings",
        "/v/rerank",
        "/v/reranking",
    ];

    /// <summary>POST routes whose multipart form names the model.</summary>
    public static readonly IReadOnlyList<string> MultipartPost =
    [
        "/v1/audio/transcriptions",
        "/v1/images/edits",
    ];

    /// <summary>GET routes with <c>?model=</c>.</summary>
    public static readonly IReadOnlyList<string> QueryGet =
    [
        "/v1/audio/voices",
        "/sdapi/v1/loras",
        "/props",
    ];

    private static readonly string[] Get = [HttpMethods.Get];
    private static readonly string[] GetHead = [HttpMethods.Get, HttpMethods.Head];
    private static readonly string[] Post = [HttpMethods.Post];
    private static readonly string[] Put = [HttpMethods.Put];

    /// <summary>Model-dispatched routes: POST for the body routes, GET for the query routes.</summary>
    public static readonly IReadOnlyList<GatewayRoute> Inference =
    [
        .. JsonPost.Concat(MultipartPost).Distinct(StringComparer.Ordinal)
            .Select(path => new GatewayRoute(path, QueryGet.Contains(path) ? [HttpMethods.Post, HttpMethods.Get] : Post, ApiKeyScopes.Inference)),
        .. QueryGet.Except(JsonPost).Select(path => new GatewayRoute(path, Get, ApiKeyScopes.Inference)),
    ];

    public static readonly GatewayRoute Upstream = new("/upstream/{**path}", [], ApiKeyScopes.Inference);
    public static readonly GatewayRoute UpstreamIndex = new("/upstream", Get, ApiKeyScopes.None);

    /// <summary>
    /// <c>/comfyui</c> and everything below it, for the model <c>comfyui_auto</c> (reference 2.6): a way
    /// into one model like <c>/upstream</c>, so the same scope. One pattern, as the catch-all also
    /// matches the bare <c>/comfyui</c> (which the pipeline redirects to <c>/comfyui/</c>).
    /// </summary>
    public static readonly GatewayRoute ComfyUi = new("/comfyui/{**path}", [], ApiKeyScopes.Inference);

    public static readonly GatewayRoute Models = new("/v1/models", Get, ApiKeyScopes.Read | ApiKeyScopes.Inference);
    public static readonly GatewayRoute ModelsShort = new("/models", Get, ApiKeyScopes.Read | ApiKeyScopes.Inference);
    public static readonly GatewayRoute Running = new("/running", Get, ApiKeyScopes.Read);
    public static readonly GatewayRoute UnloadAll = new("/unload", Get, ApiKeyScopes.Admin);
    public static readonly GatewayRoute ApiUnloadAll = new("/api/models/unload", Post, ApiKeyScopes.Admin);
    public static readonly GatewayRoute ApiUnloadModel = new("/api/models/unload/{**model}", Post, ApiKeyScopes.Admin);
    public static readonly GatewayRoute ModelHistory = new("/api/models/history", Get, ApiKeyScopes.Read);
    public static readonly GatewayRoute ModelConfig = new("/api/models/config/{**model}", Get, ApiKeyScopes.Read);

    public static readonly GatewayRoute Profiles = new("/api/profiles", Get, ApiKeyScopes.Read);
    public static readonly GatewayRoute ActiveProfile = new("/api/profiles/active", Put, ApiKeyScopes.Admin);

    public static readonly GatewayRoute Activity = new("/api/metrics/activity", Get, ApiKeyScopes.Read);
    public static readonly GatewayRoute ActivityStats = new("/api/metrics/stats", Get, ApiKeyScopes.Read);
    public static readonly GatewayRoute Capture = new("/api/captures/{id}", Get, ApiKeyScopes.Admin);
    public static readonly GatewayRoute CancelInflight = new("/api/inflight/{id}/cancel", Post, ApiKeyScopes.Admin);
    public static readonly GatewayRoute Usage = new("/api/usage", Get, ApiKeyScopes.Admin);

    public static readonly GatewayRoute Events = new("/api/events", Get, ApiKeyScopes.Read);
    public static readonly GatewayRoute Logs = new("/logs", Get, ApiKeyScopes.Read);
    public static readonly GatewayRoute LogStream = new("/logs/stream", Get, ApiKeyScopes.Read);
    public static readonly GatewayRoute ModelLogStream = new("/logs/stream/{**id}", Get, ApiKeyScopes.Read);
    public static readonly GatewayRoute Metrics = new("/metrics", Get, ApiKeyScopes.Read);
    public static readonly GatewayRoute Version = new("/api/version", Get, ApiKeyScopes.Read);
    public static readonly GatewayRoute Performance = new("/api/performance", Get, ApiKeyScopes.Read);
    public static readonly GatewayRoute Hardware = new("/api/hardware", Get, ApiKeyScopes.Read);

    public static readonly GatewayRoute Root = new("/", Get, ApiKeyScopes.None);
    public static readonly GatewayRoute Ui = new("/ui/{**path}", GetHead, ApiKeyScopes.Read);

    // Public, as in llama-swap: a browser fetches the icon without the page's credentials.
    public static readonly GatewayRoute Favicon = new("/favicon.ico", GetHead, ApiKeyScopes.None);
    public static readonly GatewayRoute FaviconSvg = new("/favicon.svg", GetHead, ApiKeyScopes.None);
    public static readonly GatewayRoute WakeOnLanHealth = new("/wol-health", [], ApiKeyScopes.None);

    /// <summary>Every route, in the order they are tried (the first match wins).</summary>
    public static readonly IReadOnlyList<GatewayRoute> All =
    [
        .. Inference,
        UpstreamIndex, Upstream,
        ComfyUi,
        Models, ModelsShort, Running, UnloadAll, ApiUnloadAll, ApiUnloadModel,
        ModelHistory, ModelConfig,
        Profiles, ActiveProfile,
        Activity, ActivityStats, Capture, CancelInflight, Usage,
        Events, Logs, LogStream, ModelLogStream, Metrics, Version,
        Performance, Hardware,
        Favicon, FaviconSvg,
        Root, Ui, WakeOnLanHealth,
    ];

    /// <summary>
    /// The route a request reaches, matched like the gateway's routing (case-insensitive, any trailing
    /// slash ignored); null for a path or method the gateway does not serve.
    /// </summary>
    /// <param name="path">The decoded request path.</param>
    public static GatewayRoute? Match(string method, string path)
    {
        foreach (var route in All)
        {
            if (route.Matches(method, path))
            {
                return route;
            }
        }

        return null;
    }
}

/// <summary>One gateway route: its ASP.NET route pattern, methods (empty = any) and the key scope it needs.</summary>
/// <param name="Scope"><see cref="ApiKeyScopes.None"/> for the public routes that need no key.</param>
internal sealed record GatewayRoute(string Pattern, IReadOnlyList<string> Methods, ApiKeyScopes Scope)
{
    private readonly TemplateMatcher _matcher = new(TemplateParser.Parse(Pattern), new RouteValueDictionary());

    public bool AllowsMethod(string method)
        => Methods.Count == 0 || Methods.Any(m => string.Equals(m, method, StringComparison.OrdinalIgnoreCase));

    public bool Matches(string method, string path)
        => AllowsMethod(method) && _matcher.TryMatch(path, new RouteValueDictionary());
}
