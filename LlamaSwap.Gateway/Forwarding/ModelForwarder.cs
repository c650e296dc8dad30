using LlamaSwap.Core.Http;
using LlamaSwap.Core.Http.ModelExtraction;
using LlamaSwap.Gateway.Activity;
using LlamaSwap.Gateway.Anthropic;
using LlamaSwap.Gateway.Configuration;
using LlamaSwap.Gateway.Inflight;
using LlamaSwap.Gateway.Loading;
using LlamaSwap.Gateway.Models;
using LlamaSwap.Gateway.Peers;
using LlamaSwap.Gateway.Routing;
using LlamaSwap.Gateway.Supervision;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Forwarder;

namespace LlamaSwap.Gateway.Forwarding;

/// <summary>
/// The proxy path for one request: find the model -> acquire a ready upstream from the supervisor
/// -> forward with YARP -> release the lease once the response has been streamed.
/// </summary>
internal sealed partial class ModelForwarder(
    ConfigHolder config,
    SupervisorClient supervisor,
    IHttpForwarder forwarder,
    UpstreamInvoker invoker,
    ModelStateReader states,
    VirtualModelResolver virtualModels,
    ActivityRecorder recorder,
    IOptions<GatewayOptions> options,
    TimeProvider time,
    ILogger<ModelForwarder> logger) : IDisposable
{
    private static readonly ForwarderRequestConfig RequestConfig = new()
    {
        // YARP's default 100 s idle limit would cut off a long prompt evaluation that sends nothing
        // until it is done; llama-swap sets no per-request limit (reference section 5.2).
        ActivityTimeout = TimeSpan.FromDays(1),
    };

    /// <summary>How often a request that met a stale pooled connection is sent again, on a new one (see <see cref="CanResend"/>).</summary>
    private const int MaxResends = 1;

    private readonly AnthropicForwarder _anthropic = new(logger);

    private readonly PeerForwarder _peers = new(forwarder, logger);

    /// <summary>A model-dispatched inference route (reference section 2.1).</summary>
    public async Task ForwardInferenceAsync(HttpContext context)
    {
        var snapshot = config.Current;
        var request = context.Request;

        ReadOnlyMemory<byte>? body = null;
        if (HttpMethods.IsPost(request.Method))
        {
            try
            {
                body = await RequestBodyBuffer.ReadAsync(request, options.Value.MaxRequestBodyBytes, context.RequestAborted);
            }
            catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
            {
                return;
            }

            if (body is null)
            {
                await ErrorResponses.WriteAsync(context, StatusCodes.Status413PayloadTooLarge, "request body too large");
                return;
            }
        }

        var requested = await ModelExtractor.ExtractAsync(request.Method, request.ContentType, request.Query, body ?? ReadOnlyMemory<byte>.Empty);
        if (requested is null)
        {
            await ErrorResponses.WriteAsync(context, StatusCodes.Status404NotFound, "no model id could be identified");
            return;
        }

        // Profile pin, then selector: from here on the request is for the target, body included.
        var route = await virtualModels.ResolveAsync(snapshot, requested, context.RequestAborted);
        if (route.Error is { } routeError)
        {
            await ErrorResponses.WriteAsync(context, routeError.Status, routeError.Message);
            return;
        }

        using var selectorReservation = route.Reservation;
        if (route.Name != requested)
        {
            body = await RequestModelRewriter.RewriteAsync(request, body, route.Name);
            requested = route.Name;
        }

        var modelId = snapshot.ResolveModelId(requested);
        var inflight = context.Features.Get<InflightRequest>();
        if (modelId is null && snapshot.ResolvePeer(requested) is { } peerModel)
        {
            Dispatched(inflight, requested, body);
            await _peers.ForwardInferenceAsync(context, peerModel, requested, body);
            return;
        }

        if (modelId is null)
        {
            await ErrorResponses.WriteAsync(context, StatusCodes.Status404NotFound, "no router for requested model");
            return;
        }

        string? contentType = null;
        if (body is { } buffered
            && await RequestFilters.ApplyAsync(snapshot.Models[modelId], requested, request.ContentType, buffered) is { } rewritten)
        {
            body = rewritten.Body;
            contentType = rewritten.ContentType;
        }

        Dispatched(inflight, modelId, body);

        if (body is { } anthropicBody && snapshot.Models[modelId].OpenAiOnly
            && AnthropicRoute.Match(request.Path.Value) is var endpoint and not AnthropicEndpoint.None)
        {
            // The upstream cannot answer /v1/messages itself: translate to and from chat completions.
            await _anthropic.HandleAsync(
                context, endpoint, requested, anthropicBody, InvokerFor(modelId),
                useUpstream => AcquireAsync(context, modelId, upstream => TraceUpstreamCallAsync(context, modelId, inflight, () =>
                {
                    // No YARP transform on this path: the headers go on before the translated answer starts.
                    inflight?.OnSendingUpstream();
                    ProxyTimingHeaders.Set(context.Response.Headers, inflight, upstreamAnswered: false);
                    return useUpstream(upstream);
                })));
            return;
        }

        var path = UpstreamPathRewriter.Rewrite(request.Path.Value ?? "/");
        var pathAndQuery = new PathString(path).ToUriComponent() + request.QueryString.ToUriComponent();
        var transformer = new UpstreamTransformer(pathAndQuery, body, contentType, inflight);
        var loading = LoadingStream.For(context, snapshot, snapshot.Models[modelId], requested, body, supervisor, time);
        if (loading is null)
        {
            await AcquireAndForwardAsync(context, modelId, transformer);
            return;
        }

        await AcquireAsync(
            context,
            modelId,
            upstream => loading.Started
                ? loading.AppendUpstreamAsync(InvokerFor(modelId), upstream, pathAndQuery, body!.Value, contentType ?? request.ContentType)
                : ForwardLeasedAsync(context, modelId, upstream, transformer),
            loading);
    }

    /// <summary><c>/upstream/&lt;model&gt;/...</c> (reference section 2.5): body never inspected.</summary>
    public async Task ForwardUpstreamAsync(HttpContext context)
    {
        var request = context.Request;
        var rawTarget = context.Features.Get<IHttpRequestFeature>()?.RawTarget;
        var rawPath = rawTarget?.Split('?', 2)[0];
        var snapshot = config.Current;
        var pinned = virtualModels.RewriteUpstreamPath(snapshot, request.Path.Value ?? "/", rawPath);
        var target = pinned.Disabled ? null : UpstreamModelPath.Resolve(snapshot, pinned.DecodedPath, pinned.RawPath);
        if (target is null)
        {
            await ErrorResponses.WriteAsync(context, StatusCodes.Status404NotFound, "model not found");
            return;
        }

        if (target.Remainder.Length == 0)
        {
            // Relative links in the upstream's pages only resolve under a trailing slash.
            var permanentGet = HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method);
            context.Response.StatusCode = permanentGet ? StatusCodes.Status301MovedPermanently : StatusCodes.Status308PermanentRedirect;
            context.Response.Headers.Location = target.RawModelPath + "/" + request.QueryString.ToUriComponent();
            return;
        }

        var inflight = context.Features.Get<InflightRequest>();
        var transformer = new UpstreamTransformer(target.Remainder + request.QueryString.ToUriComponent(), null, null, inflight);
        RecordUpstreamRoute(context, inflight, target.ModelId, target.Remainder);
        if (target.Peer is { } peerModel)
        {
            await _peers.ForwardAsync(context, peerModel, transformer);
            return;
        }

        if (await TryHandleWithoutLeaseAsync(context, target.ModelId, target.Remainder, transformer))
        {
            return;
        }

        await AcquireAndForwardAsync(context, target.ModelId, transformer);
    }

    public void Dispose() => _peers.Dispose();

    private Task AcquireAndForwardAsync(HttpContext context, string modelId, UpstreamTransformer transformer)
        => AcquireAsync(context, modelId, upstream => ForwardLeasedAsync(context, modelId, upstream, transformer));

    /// <summary>Acquires a lease on the model, runs <paramref name="useUpstream"/> with its upstream, releases it.</summary>
    private async Task AcquireAsync(HttpContext context, string modelId, Func<string, Task> useUpstream, LoadingStream? loading = null)
    {
        var requestId = Guid.NewGuid().ToString("N");
        var acquiring = supervisor.AcquireAsync(modelId, requestId, context.RequestAborted);
        if (loading is not null && !acquiring.IsCompleted
            && await Task.WhenAny(acquiring, Task.Delay(LoadingStream.StartAfter, time)) != acquiring)
        {
            // Admission (and so any 429) is answered at once: taking this long means the model loads.
            await loading.ShowProgressUntilAsync(acquiring, requestId, modelId);
        }

        var outcome = await acquiring;
        if (loading is { Started: true } && outcome is AcquireOutcome.Refused or AcquireOutcome.Failed or AcquireOutcome.Unavailable)
        {
            var (status, message, code) = outcome switch
            {
                AcquireOutcome.Refused r => (r.StatusCode, r.Message, r.Code),
                AcquireOutcome.Unavailable u => (StatusCodes.Status503ServiceUnavailable, u.Message, null),
                _ => (StatusCodes.Status502BadGateway, ((AcquireOutcome.Failed)outcome).Message, (string?)null),
            };
            Log.AcquireRefused(logger, modelId, status, message);
            await loading.WriteErrorAsync(status, message, code);
            return;
        }

        switch (outcome)
        {
            case AcquireOutcome.Granted granted:
                context.Features.Get<InflightRequest>()?.OnLeaseGranted(granted.Lease.QueueWaitMs, granted.Lease.LoadMs);
                try
                {
                    if (loading is { Started: true })
                    {
                        await loading.FinishAsync();
                    }

                    await useUpstream(granted.Lease.Upstream);
                }
                finally
                {
                    // Released before this request ends: a background release could lag behind the
                    // client's next request and count against its concurrency limit (a sequential
                    // client was refused with 429 once ten releases were still under way).
                    await supervisor.ReleaseAsync(granted.Lease.LeaseId);
                }

                return;

            case AcquireOutcome.Refused refused:
                if (refused.StatusCode == StatusCodes.Status429TooManyRequests)
                {
                    context.Response.Headers.RetryAfter = string.IsNullOrEmpty(refused.RetryAfter) ? "1" : refused.RetryAfter;
                }

                Log.AcquireRefused(logger, modelId, refused.StatusCode, refused.Message);
                await ErrorResponses.WriteAsync(context, refused.StatusCode, refused.Message, refused.Code);
                return;

            case AcquireOutcome.Failed failed:
                await ErrorResponses.WriteAsync(context, StatusCodes.Status502BadGateway, failed.Message);
                return;

            case AcquireOutcome.Unavailable unavailable:
                // A supervisor restart: the client may try again shortly (SDKs honour Retry-After on 503).
                context.Response.Headers.RetryAfter = SupervisorClient.RetryAfterSeconds;
                await ErrorResponses.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, unavailable.Message);
                return;

            default:
                // The client is gone: nobody to answer.
                return;
        }
    }

    private Task ForwardLeasedAsync(HttpContext context, string modelId, string upstream, UpstreamTransformer transformer)
        => TraceUpstreamCallAsync(context, modelId, context.Features.Get<InflightRequest>(), () => ForwardAsync(context, modelId, upstream, transformer));

    private async Task ForwardAsync(HttpContext context, string modelId, string upstream, UpstreamTransformer transformer)
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
