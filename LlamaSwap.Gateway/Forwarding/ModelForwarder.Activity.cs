using System.Diagnostics;
using LlamaSwap.Gateway.Activity;
using LlamaSwap.Gateway.Inflight;
using LlamaSwap.Gateway.Telemetry;

namespace LlamaSwap.Gateway.Forwarding;

/// <summary>The client span around the upstream call.</summary>
internal sealed partial class ModelForwarder
{
    /// <summary>
    /// Runs the upstream call under a client span, current while it runs so the upstream request
    /// carries it as its parent. A recorded request hands the span to the recorder, which adds the
    /// token usage and ends it at the request's real end; otherwise it ends here.
    /// </summary>
    private static async Task TraceUpstreamCallAsync(HttpContext context, string modelId, InflightRequest? inflight, Func<Task> call)
    {
        // Without listeners StartActivity returns null anyway; checking first also skips building the name.
        var trace = GatewayTelemetry.Source.HasListeners() ? StartTrace(inflight?.Route ?? context.Request.Path.Value ?? "/", modelId) : null;
        try
        {
            await call();
        }
        finally
        {
            if (trace is not null)
            {
                if (inflight?.Tap is { } tap)
                {
                    tap.Trace = trace;
                }
                else
                {
                    trace.Stop();
                }
            }
        }
    }

    private static System.Diagnostics.Activity? StartTrace(string route, string modelId)
    {
        var operation = RecordedRoutes.Operation(route);
        var trace = GatewayTelemetry.Source.StartActivity($"{operation} {modelId}", ActivityKind.Client);
        trace?.SetTag("gen_ai.request.model", modelId);
        trace?.SetTag("gen_ai.operation.name", operation);
        return trace;
    }
}
