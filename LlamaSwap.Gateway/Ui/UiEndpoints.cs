using LlamaSwap.Core.Http;
using Microsoft.Net.Http.Headers;
using LlamaSwap.Gateway.Routing;

namespace LlamaSwap.Gateway.Ui;

/// <summary>
/// The web UI (reference section 2.3): <c>GET /</c> redirects to <c>/ui/</c>, which serves the
/// embedded single-page app. Unknown paths without an extension get <c>index.html</c> (deep links);
/// a missing file with an extension is a 404, so a broken asset reference is visible as one.
/// <c>/favicon.ico</c> and <c>/favicon.svg</c> are the UI's icon, where browsers look for it.
/// </summary>
internal static class UiEndpoints
{
    // The UI's modules import each other by fixed names, so files are revalidated on each use (a
    // cheap 304 thanks to the ETag) rather than cached for a long time under a name that may change.
    private const string CacheControl = "no-cache";

    // Everything the UI loads or calls is same-origin; inline scripts and styles are never needed.
    // blob: media is the playground's speech answer, played from memory.
    private const string ContentSecurityPolicy =
        "default-src 'self'; img-src 'self' data:; media-src 'self' blob:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'";

    public static IEndpointRouteBuilder MapUi(this IEndpointRouteBuilder endpoints)
    {
        var assets = UiAssets.Load(typeof(UiEndpoints).Assembly);
        endpoints.MapRoute(GatewayRoutes.Root, (HttpContext context) => RedirectToUi(context));
        endpoints.MapRoute(GatewayRoutes.Ui, (string? path, HttpContext context) => Serve(assets, path, context));
        MapFile(endpoints, GatewayRoutes.Favicon, assets, "favicon.ico");
        MapFile(endpoints, GatewayRoutes.FaviconSvg, assets, "favicon.svg");
        return endpoints;
    }

    private static void MapFile(IEndpointRouteBuilder endpoints, GatewayRoute route, UiAssets assets, string path)
    {
        // Missing from the build is a packaging bug: fail at start-up, not with a 404 later.
        var asset = assets.Find(path) ?? throw new InvalidOperationException($"the UI bundle has no {path}");
        endpoints.MapRoute(route, (HttpContext context) => Send(asset, context));
    }

    private static IResult RedirectToUi(HttpContext context) => Results.Redirect("/ui/" + context.Request.QueryString);

    private static IResult Serve(UiAssets assets, string? path, HttpContext context)
    {
        // The catch-all route matches /ui too: send it to the canonical /ui/.
        if (context.Request.Path == "/ui")
        {
            return RedirectToUi(context);
        }

        var asset = Resolve(assets, path ?? "");
        if (asset is null)
        {
            return ErrorResponses.Result(StatusCodes.Status404NotFound, "file not found");
        }

        return Send(asset, context);
    }

    private static IResult Send(UiAsset asset, HttpContext context)
    {
        var headers = context.Response.Headers;
        headers.ETag = asset.ETag;
        headers.CacheControl = CacheControl;
        headers.XContentTypeOptions = "nosniff";
        if (asset.Path == UiAssets.IndexPath)
        {
            headers.ContentSecurityPolicy = ContentSecurityPolicy;
            headers.XFrameOptions = "DENY";
        }

        if (IsNotModified(context.Request, asset.ETag))
        {
            return Results.StatusCode(StatusCodes.Status304NotModified);
        }

        return Results.Bytes(asset.Content, asset.ContentType);
    }

    private static UiAsset? Resolve(UiAssets assets, string path)
    {
        if (path.Length == 0)
        {
            return assets.Find(UiAssets.IndexPath);
        }

        if (assets.Find(path) is { } asset)
        {
            return asset;
        }

        var lastSegment = path[(path.LastIndexOf('/') + 1)..];
        return lastSegment.Contains('.', StringComparison.Ordinal) ? null : assets.Find(UiAssets.IndexPath);
    }

    private static bool IsNotModified(HttpRequest request, string etag)
        => request.Headers.IfNoneMatch.Count > 0
           && EntityTagHeaderValue.TryParseList(request.Headers.IfNoneMatch, out var tags)
           && tags.Any(t => t.Tag == etag || t.Tag == "*");
}
