using LlamaSwap.Core.Configuration;
using LlamaSwap.Core.Http;
using LlamaSwap.Core.Logs;
using LlamaSwap.Gateway.Configuration;
using LlamaSwap.Gateway.Routing;

namespace LlamaSwap.Gateway.Logs;

/// <summary><c>GET /logs</c>, <c>/logs/stream</c> and <c>/logs/stream/{proxy|upstream|model}</c> (llama-swap reference 2.3, 2.9).</summary>
internal static class LogsApi
{
    public const string InvalidLogger = "invalid logger. Use 'proxy', 'upstream' or a model's ID";

    private const string PlainText = "text/plain; charset=utf-8";

    public static IEndpointRouteBuilder MapLogsApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapRoute(GatewayRoutes.Logs, (HttpRequest request, LogHub hub) =>
            request.Headers.Accept.ToString().Contains("text/html", StringComparison.OrdinalIgnoreCase)
                ? Results.Redirect("/ui/")
                : Results.Bytes(hub.Combined.GetHistory(), PlainText));
        endpoints.MapRoute(GatewayRoutes.LogStream, (HttpContext context, LogHub hub, IHostApplicationLifetime lifetime) =>
            StreamAsync(context, hub.Combined, lifetime.ApplicationStopping));
        endpoints.MapRoute(GatewayRoutes.ModelLogStream, async (string? id, HttpContext context, LogHub hub, ConfigHolder config, IHostApplicationLifetime lifetime) =>
        {
            if (Find(id ?? "", hub, config.Current) is not { } monitor)
            {
                await ErrorResponses.WriteAsync(context, StatusCodes.Status400BadRequest, InvalidLogger);
                return;
            }

            await StreamAsync(context, monitor, lifetime.ApplicationStopping);
        });
        return endpoints;
    }

    /// <summary><c>proxy</c>, <c>upstream</c>, or the longest leading part of <paramref name="id"/> that names a model (ID or alias).</summary>
    internal static LogMonitor? Find(string id, LogHub hub, LlamaSwapConfig config)
    {
        switch (id)
        {
            case "proxy":
                return hub.Proxy;
            case "upstream":
                return hub.Upstream;
        }

        // Model IDs may contain slashes; anything after the ID is ignored, as llama-swap does.
        for (var end = id.Length; end > 0; end = id.LastIndexOf('/', end - 1))
        {
            if (config.ResolveModelId(id[..end]) is { } modelId)
            {
                return hub.ForModel(modelId);
            }
        }

        return null;
    }

    /// <summary>History (unless <c>?no-history</c>) then live writes, flushed chunk by chunk, until the client or the gateway goes.</summary>
    private static async Task StreamAsync(HttpContext context, LogMonitor monitor, CancellationToken stopping)
    {
        var response = context.Response;
        response.ContentType = PlainText;
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers["X-Accel-Buffering"] = "no";
        response.Headers.CacheControl = "no-cache";

        using var subscription = monitor.Subscribe(replayHistory: !context.Request.Query.ContainsKey("no-history"));

        // Shutdown must not wait for log readers, who never leave by themselves.
        using var end = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
        try
        {
            // Headers go out now, not with the first write: a ?no-history reader may wait long for one.
            await response.StartAsync(end.Token);
            await response.Body.FlushAsync(end.Token);
            await foreach (var chunk in subscription.ReadAllAsync(end.Token))
            {
                await response.Body.WriteAsync(chunk, end.Token);
                await response.Body.FlushAsync(end.Token);
            }
        }
        catch (OperationCanceledException) when (end.IsCancellationRequested)
        {
            // The client left or the gateway is stopping: the stream simply ends.
        }
    }
}
