using System.Diagnostics;
using System.Net;
using LlamaSwap.AuthProxy.Hosting;
using LlamaSwap.Core.Http;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Forwarder;

namespace LlamaSwap.AuthProxy.Forwarding;

/// <summary>Streams every authorised request to the gateway (YARP direct forwarding, nothing buffered).</summary>
internal sealed partial class GatewayForwarder : IDisposable
{
    /// <summary>
    /// <c>Retry-After</c> of the 503 answered while the gateway cannot be reached: a crashed gateway
    /// is restarted within seconds, and SDKs retry a 503 after this long.
    /// </summary>
    public const string RetryAfterSeconds = "1";

    private static readonly ForwarderRequestConfig RequestConfig = new()
    {
        // No per-request idle limit on this hop either: the gateway may wait minutes for a model load.
        ActivityTimeout = TimeSpan.FromDays(1),
    };

    private readonly IHttpForwarder _forwarder;
    private readonly ILogger<GatewayForwarder> _logger;
    private readonly HttpMessageInvoker _invoker;
    private readonly StripKeysTransformer _transformer;

    public GatewayForwarder(IHttpForwarder forwarder, KeyClaimIssuer claims, IOptions<AuthProxyHostOptions> options, ILogger<GatewayForwarder> logger)
    {
        _forwarder = forwarder;
        _transformer = new StripKeysTransformer(claims);
        _logger = logger;
        GatewayUrl = options.Value.GatewayBaseUrl;
        _invoker = new HttpMessageInvoker(new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            EnableMultipleHttp2Connections = true,
            ConnectTimeout = TimeSpan.FromSeconds(15),
            // Continue the trace across the hop instead of copying the client's traceparent verbatim.
            ActivityHeadersPropagator = new ReverseProxyPropagator(DistributedContextPropagator.CreateDefaultPropagator()),
        });
    }

    public string GatewayUrl { get; }

    public async Task ForwardAsync(HttpContext context)
    {
        var error = await _forwarder.SendAsync(context, GatewayUrl, _invoker, RequestConfig, _transformer);
        if (error == ForwarderError.None || context.RequestAborted.IsCancellationRequested)
        {
            return;
        }

        var exception = context.GetForwarderErrorFeature()?.Exception;

        // The client's body broke a Kestrel limit mid-stream (a chunked body over the size limit):
        // that is the client's error with Kestrel's status, not an unreachable gateway.
        if (FindBadRequest(exception) is { } badRequest)
        {
            Log.ClientBodyRefused(_logger, badRequest.StatusCode, badRequest.Message);
            if (!context.Response.HasStarted)
            {
                context.Response.Headers.Clear();
                context.Response.Headers.Connection = "close";
                await AnthropicErrorResponses.WriteForRouteAsync(context, badRequest.StatusCode, badRequest.StatusCode == StatusCodes.Status413PayloadTooLarge
                    ? "request body too large"
                    : "malformed request body");
            }

            return;
        }

        Log.ForwardFailed(_logger, GatewayUrl, error, exception);

        // After the headers are out YARP aborts the connection. Before, nothing of the gateway's
        // answer reached the client: the gateway is down or restarting (refused, reset), so the
        // client hears when to try again instead of a bare 502. A pooled connection the dead gateway
        // left is dropped with this failure; the next request connects afresh.
        if (!context.Response.HasStarted)
        {
            context.Response.Headers.Clear();
            context.Response.Headers.RetryAfter = RetryAfterSeconds;
            await AnthropicErrorResponses.WriteForRouteAsync(context, StatusCodes.Status503ServiceUnavailable, $"gateway unavailable: {exception?.Message ?? error.ToString()}");
        }
    }

    public void Dispose() => _invoker.Dispose();

    private static BadHttpRequestException? FindBadRequest(Exception? exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is BadHttpRequestException badRequest)
            {
                return badRequest;
            }
        }

        return null;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 100, Level = LogLevel.Warning, Message = "Forwarding to the gateway at {GatewayUrl} failed: {Error}")]
        public static partial void ForwardFailed(ILogger logger, string gatewayUrl, ForwarderError error, Exception? exception);

        [LoggerMessage(EventId = 1810, Level = LogLevel.Information, Message = "Refused a request body with {StatusCode}: {Reason}")]
        public static partial void ClientBodyRefused(ILogger logger, int statusCode, string reason);
    }
}
