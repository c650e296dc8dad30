using LlamaSwap.Core.Http;
using LlamaSwap.Gateway.Configuration;
using LlamaSwap.Gateway.Inflight;
using Microsoft.AspNetCore.Http.Features;
using Yarp.ReverseProxy.Forwarder;

namespace LlamaSwap.Gateway.Forwarding;

/// <summary>
/// Sends a request to a leased upstream with YARP and streams the answer back (the model pipeline's
/// last step, docs/design.md), under a client span; a request that met a stale pooled connection is
/// sent once more on a new one.
/// </summary>
internal sealed partial class ModelForwarder(
    ConfigHolder config,
    IHttpForwarder forwarder,
    UpstreamInvoker invoker,
    ILogger<ModelForwarder> logger)
{
    private static readonly ForwarderRequestConfig RequestConfig = new()
    {
        // YARP's default 100 s idle limit would cut off a long prompt evaluation that sends nothing
        // until it is done; llama-swap sets no per-request limit (reference section 5.2).
        ActivityTimeout = TimeSpan.FromDays(1),
    };

    /// <summary>How often a request that met a stale pooled connection is sent again, on a new one (see <see cref="CanResend"/>).</summary>
    private const int MaxResends = 1;

    /// <summary>Forwards the request to <paramref name="upstream"/>; returns after the last body byte was written to the client.</summary>
    public Task ForwardAsync(HttpContext context, string modelId, string upstream, UpstreamTransformer transformer)
        => TraceUpstreamCallAsync(context, modelId, context.Features.Get<InflightRequest>(), () => SendAsync(context, modelId, upstream, transformer));

    /// <summary>Runs a call that is not YARP's (the Anthropic translation) under the same span and timing headers.</summary>
    public Task SendTranslatedAsync(HttpContext context, string modelId, Func<Task> call)
    {
        var inflight = context.Features.Get<InflightRequest>();
        return TraceUpstreamCallAsync(context, modelId, inflight, () =>
        {
            // No YARP transform on this path: the headers go on before the translated answer starts.
            inflight?.OnSendingUpstream();
            ProxyTimingHeaders.Set(context.Response.Headers, inflight, upstreamAnswered: false);
            return call();
        });
    }

    /// <summary>The pool for the model's <c>timeouts</c>; the default pool if a reload removed the model.</summary>
    public HttpMessageInvoker InvokerFor(string modelId)
        => invoker.For(config.Current.Models.GetValueOrDefault(modelId));

    /// <summary>As <see cref="InvokerFor"/>, on a connection that is certainly new.</summary>
    private HttpMessageInvoker FreshConnectionInvokerFor(string modelId)
        => invoker.FreshConnectionFor(config.Current.Models.GetValueOrDefault(modelId));

    private async Task SendAsync(HttpContext context, string modelId, string upstream, UpstreamTransformer transformer)
    {
        // SendAsync returns after the last body byte was written to the client.
        var error = await forwarder.SendAsync(context, upstream, InvokerFor(modelId), RequestConfig, transformer);
        for (var retry = 1; retry <= MaxResends && error == ForwarderError.Request && CanResend(context, transformer); retry++)
        {
            Log.Resending(logger, modelId, upstream, retry, context.GetForwarderErrorFeature()?.Exception?.Message);
            context.Response.StatusCode = StatusCodes.Status200OK;
            error = await forwarder.SendAsync(context, upstream, FreshConnectionInvokerFor(modelId), RequestConfig, transformer);
        }

        if (error == ForwarderError.None)
        {
            return;
        }

        var exception = context.GetForwarderErrorFeature()?.Exception;
        if (error is ForwarderError.RequestCanceled or ForwarderError.RequestBodyCanceled or ForwarderError.ResponseBodyCanceled
            || context.RequestAborted.IsCancellationRequested)
        {
            Log.ClientAborted(logger, modelId, error);
            return;
        }

        Log.ForwardFailed(logger, modelId, upstream, error, exception);

        // Once headers are out YARP has already aborted the connection, so the client sees a
        // broken response rather than a truncated one that looks complete.
        if (!context.Response.HasStarted)
        {
            context.Response.Headers.Clear();
            await ErrorResponses.WriteAsync(context, StatusCodes.Status502BadGateway, $"upstream error: {exception?.Message ?? error.ToString()}");
        }
    }

    /// <summary>
    /// Whether a request that failed before any response can go again on a new connection: llama-server
    /// closes its connection after every streamed response (while announcing keep-alive), and an upstream
    /// closes idle connections after its own keep-alive timeout (cpp-httplib: 5 s). A pooled connection
    /// taken just before its close arrives fails on the first write or read, before the upstream saw the
    /// request; curl and Go resend in that case, and so do we, once, on a connection that is certainly new
    /// (another pooled one may be just as stale: llama-server closes after a stream only when its HTTP
    /// thread gets to it, which under load takes milliseconds). Only a buffered (or empty) body can be
    /// sent again, and never once the client's response has started or the client is gone; a refused
    /// connect is not resent (the upstream is down, not a stale connection).
    /// </summary>
    private static bool CanResend(HttpContext context, UpstreamTransformer transformer)
        => !context.Response.HasStarted
           && !context.RequestAborted.IsCancellationRequested
           && (transformer.BodyBuffered || context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody == false)
           && context.GetForwarderErrorFeature()?.Exception is HttpRequestException
           {
               HttpRequestError: not (HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError
                   or HttpRequestError.SecureConnectionError or HttpRequestError.ProxyTunnelError),
           };
}
