using System.Text.RegularExpressions;
using LlamaSwap.Core.Contracts;
using LlamaSwap.Core.Http;

namespace LlamaSwap.Gateway.Forwarding;

/// <summary>
/// <c>/upstream</c> requests that must not reach the scheduler: paths in <c>upstream.ignorePaths</c>
/// (reference 2.5 step 4) and websockets of <c>compat.ignoreWebsockets</c> models (3.11). Neither
/// may start a model; both are refused while it is not ready.
/// </summary>
internal sealed partial class ModelForwarder
{
    /// <summary>Answers the request here when it must bypass the lease path; false lets it acquire as usual.</summary>
    private async Task<bool> TryHandleWithoutLeaseAsync(HttpContext context, string modelId, string remainder, UpstreamTransformer transformer)
    {
        var snapshot = config.Current;
        var model = snapshot.Models[modelId];
        var ignoredWebsocket = model.IgnoreWebsockets && WebSocketUpgrade.IsRequested(context.Request);
        if (!ignoredWebsocket && !MatchesAny(snapshot.UpstreamIgnorePaths, remainder))
        {
            return false;
        }

        var record = await ReadyRecordAsync(modelId, context.RequestAborted);
        if (record is null)
        {
            var reason = ignoredWebsocket ? "ignored websocket requests cannot start it" : "path matches upstream.ignorePaths";
            await ErrorResponses.WriteAsync(context, StatusCodes.Status409Conflict, $"model {modelId} is not loaded; {reason}");
            return true;
        }

        if (!ignoredWebsocket)
        {
            // A ready model serves an ignored path like any request: the lease keeps it from being
            // swapped out mid-response and counts as activity.
            return false;
        }

        // Outside the scheduler: the socket neither pins the model nor blocks a swap; when the model
        // is stopped the upstream closes it.
        var upstream = string.IsNullOrEmpty(record.Proxy) ? model.Proxy.ToString() : record.Proxy;
        Log.UnleasedWebsocket(logger, modelId, upstream);
        await ForwardLeasedAsync(context, modelId, upstream, transformer);
        return true;
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

    /// <summary>The pool for the model's <c>timeouts</c>; the default pool if a reload removed the model.</summary>
    private HttpMessageInvoker InvokerFor(string modelId)
        => invoker.For(config.Current.Models.GetValueOrDefault(modelId));

    /// <summary>As <see cref="InvokerFor"/>, on a connection that is certainly new.</summary>
    private HttpMessageInvoker FreshConnectionInvokerFor(string modelId)
        => invoker.FreshConnectionFor(config.Current.Models.GetValueOrDefault(modelId));
}
