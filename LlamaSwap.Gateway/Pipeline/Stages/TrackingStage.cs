using LlamaSwap.Gateway.Activity;
using LlamaSwap.Gateway.Configuration;
using LlamaSwap.Gateway.Inflight;

namespace LlamaSwap.Gateway.Pipeline.Stages;

/// <summary>
/// Starts the <see cref="ModelRequest"/> on one config snapshot and keeps the request in the
/// in-flight list while the rest of the pipeline runs; then, with the response complete, hands it to
/// the activity recorder (for <c>/upstream</c> the path stage decides whether it is recorded).
/// </summary>
internal sealed class TrackingStage(RequestDelegate next, ConfigHolder config, InflightRequests inflight, ActivityRecorder recorder, TrackingStage.Mode mode)
{
    public enum Mode
    {
        Inference,
        Upstream,
    }

    public async Task InvokeAsync(HttpContext context)
    {
        var tracked = inflight.Track(context);
        var request = new ModelRequest(config.Current, mode == Mode.Upstream, tracked.Request);
        context.Features.Set(request);
        try
        {
            if (mode == Mode.Inference && recorder.Enabled && HttpMethods.IsPost(context.Request.Method))
            {
                ActivityTap.Attach(context, tracked.Request, teeRequestBody: false);
            }

            await next(context);
        }
        finally
        {
            request.SelectorReservation?.Dispose();
            tracked.Dispose();
            recorder.Post(tracked.Request);
        }
    }
}
