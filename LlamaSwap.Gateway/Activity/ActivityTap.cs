using LlamaSwap.Gateway.Inflight;
using TraceActivity = System.Diagnostics.Activity;

namespace LlamaSwap.Gateway.Activity;

/// <summary>
/// What a recorded request leaves for the recorder: the copied response (and, for streamed
/// <c>/upstream</c> bodies, request) bytes, the buffered request body, and the trace span to finish.
/// </summary>
internal sealed class ActivityTap : IDisposable
{
    public BodyTap Response { get; } = new();

    /// <summary>The body as sent upstream when the gateway buffered it anyway (model-dispatched routes).</summary>
    public ReadOnlyMemory<byte>? RequestBody { get; set; }

    /// <summary>A copy of a streamed request body; null when <see cref="RequestBody"/> is used.</summary>
    public BodyTap? StreamedRequest { get; private set; }

    /// <summary>The client span around the upstream call, stopped by the recorder once usage is known.</summary>
    public TraceActivity? Trace { get; set; }

    /// <summary>Starts copying the response of <paramref name="context"/> (and its streamed body, if asked).</summary>
    public static ActivityTap Attach(HttpContext context, InflightRequest request, bool teeRequestBody)
    {
        var tap = new ActivityTap();
        var response = context.Response;
        response.Body = new ResponseTee(response.Body, response, request, tap.Response);
        if (teeRequestBody)
        {
            tap.StreamedRequest = new BodyTap();
            context.Request.Body = new RequestTee(context.Request.Body, tap.StreamedRequest);
        }

        request.Tap = tap;
        return tap;
    }

    public void Dispose()
    {
        Response.Dispose();
        StreamedRequest?.Dispose();
        if (Trace is { } trace)
        {
            Trace = null;
            trace.Stop();
        }
    }
}
