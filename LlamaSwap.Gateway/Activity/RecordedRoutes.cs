using LlamaSwap.Gateway.Pipeline.Extraction;
using LlamaSwap.Gateway.Routing;

namespace LlamaSwap.Gateway.Activity;

/// <summary>Routes whose POSTs become activity rows (reference 2.4.2), also under <c>/upstream/&lt;model&gt;</c>.</summary>
internal static class RecordedRoutes
{
    private static readonly HashSet<string> Routes = new(GatewayRoutes.JsonPost.Concat(GatewayRoutes.MultipartPost), StringComparer.Ordinal);

    public static bool IsRecorded(string route) => Routes.Contains(route);

    /// <summary>The <c>gen_ai.operation.name</c> of a route (OpenTelemetry GenAI conventions where one fits).</summary>
    public static string Operation(string route) => route switch
    {
        _ when route.EndsWith("/chat/completions", StringComparison.Ordinal) || route.EndsWith("/messages", StringComparison.Ordinal)
            || route.EndsWith("/responses", StringComparison.Ordinal) => "chat",
        _ when route.EndsWith("/completions", StringComparison.Ordinal) || route is "/completion" or "/infill" => "text_completion",
        _ when route.EndsWith("/embeddings", StringComparison.Ordinal) => "embeddings",
        _ => route.TrimStart('/').Replace('/', '.'),
    };
}
