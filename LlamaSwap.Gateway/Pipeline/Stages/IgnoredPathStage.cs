using System.Text.RegularExpressions;
using LlamaSwap.Core.Contracts;
using LlamaSwap.Core.Http;
using LlamaSwap.Gateway.Forwarding;
using LlamaSwap.Gateway.Models;

namespace LlamaSwap.Gateway.Pipeline.Stages;

/// <summary>
/// <c>/upstream</c> requests that must not reach the scheduler: paths in <c>upstream.ignorePaths</c>
/// (reference 2.5 step 4) and websockets of <c>compat.ignoreWebsockets</c> models (3.11). Neither
/// may start a model; both are refused while it is not ready. A ready model serves an ignored path
/// like any request (the lease keeps it from being swapped out mid-response). <c>/comfyui</c> has its
/// own rule for paths (only its root starts the model) and is not subject to <c>ignorePaths</c>.
/// </summary>
internal sealed partial class IgnoredPathStage(RequestDelegate next, ModelStateReader states, ModelForwarder forwarder, ILogger<IgnoredPathStage> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var request = ModelRequest.Of(context);
        var model = request.Model;
        var ignoredWebsocket = model.IgnoreWebsockets && WebSocketUpgrade.IsRequested(context.Request);
        var ignoredPath = !request.IsComfyUi && MatchesAny(request.Config.UpstreamIgnorePaths, request.UpstreamRemainder);
        if (!ignoredWebsocket && !ignoredPath)
        {
            await next(context);
            return;
        }

        var record = await ReadyRecordAsync(model.Id, context.RequestAborted);
        if (record is null)
        {
            var reason = ignoredWebsocket ? "ignored websocket requests cannot start it" : "path matches upstream.ignorePaths";
            await ErrorResponses.WriteAsync(context, StatusCodes.Status409Conflict, $"model {model.Id} is not loaded; {reason}");
            return;
        }

        if (!ignoredWebsocket)
        {
            await next(context);
            return;
        }

        // Outside the scheduler: the socket neither pins the model nor blocks a swap; when the model
        // is stopped the upstream closes it.
        var upstream = string.IsNullOrEmpty(record.Proxy) ? model.Proxy.ToString() : record.Proxy;
        Log.UnleasedWebsocket(logger, model.Id, upstream);
        var transformer = new UpstreamTransformer(request.UpstreamRemainder + context.Request.QueryString.ToUriComponent(), null, null, request.Inflight);
        await forwarder.ForwardAsync(context, model.Id, upstream, transformer);
    }

    private async Task<ModelStateRecord?> ReadyRecordAsync(string modelId, CancellationToken cancellationToken)
    {
        // No answer from the store or the supervisor counts as not ready: a refusal never swaps.
        var all = await states.GetAllAsync(cancellationToken);
        return all is not null && all.TryGetValue(modelId, out var record) && record.State == ModelStates.Ready ? record : null;
    }

    private static bool MatchesAny(IReadOnlyList<Regex> patterns, string path)
    {
        foreach (var pattern in patterns)
        {
            try
            {
                if (pattern.IsMatch(path))
                {
                    return true;
                }
            }
            catch (RegexMatchTimeoutException)
            {
                // A pattern too slow for this path does not match it: the request goes the normal way.
            }
        }

        return false;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 203, Level = LogLevel.Debug, Message = "Websocket for {Model} forwarded to {Upstream} without a lease (compat.ignoreWebsockets)")]
        public static partial void UnleasedWebsocket(ILogger logger, string model, string upstream);
    }
}
