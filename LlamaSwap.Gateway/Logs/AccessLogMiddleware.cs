using System.Diagnostics;
using LlamaSwap.Core.Security;
using LlamaSwap.Gateway.Http;

namespace LlamaSwap.Gateway.Logs;

/// <summary>
/// One llama-swap access line per request in the proxy log (see <see cref="AccessLogLine"/>), written
/// once the response has been sent (<see cref="HttpResponse.OnCompleted(Func{Task})"/>), so the
/// client never waits for it. The request's own cost is a timestamp, a byte-counting wrapper around
/// the response body and, at the end, one formatted line handed to the logging providers (the
/// proxy log's ring buffer and the console's queue: neither waits on I/O). Outermost in the
/// pipeline, as in llama-swap, so every status (including the gateway's own refusals) is seen.
/// </summary>
internal sealed partial class AccessLogMiddleware(RequestDelegate next, ILogger<AccessLogMiddleware> logger, TimeProvider timeProvider)
{
    public Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        if (AccessLogLine.IsSkipped(request.Path) || !logger.IsEnabled(LogLevel.Information))
        {
            return next(context);
        }

        // Captured now: later stages may rewrite the path (/upstream/<model>/..., /v/...).
        var started = timeProvider.GetTimestamp();
        var method = request.Method;
        var path = request.Path.Value ?? "/";
        var protocol = request.Protocol;
        var userAgent = request.Headers.UserAgent.ToString();
        var forwardedFor = request.Headers["X-Forwarded-For"].ToString();
        var realIp = request.Headers["X-Real-IP"].ToString();
        var counter = new CountingStream(context.Response.Body);
        context.Response.Body = counter;
        context.Response.OnCompleted(() =>
        {
            // The key claim is verified further in; it is there by now when the auth proxy vouched.
            var client = AccessLogLine.ClientIp(context.Connection.RemoteIpAddress, context.Features.Get<KeyClaim>() is not null, forwardedFor, realIp);
            Log.Request(logger, AccessLogLine.Message(
                client, method, path, protocol, context.Response.StatusCode, counter.Written, userAgent, timeProvider.GetElapsedTime(started)));
            return Task.CompletedTask;
        });
        return next(context);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1750, Level = LogLevel.Information, Message = "{Line}")]
        public static partial void Request(ILogger logger, string line);
    }

    /// <summary>Passes every write and flush straight on (streams stay unbuffered), counting the bytes.</summary>
    private sealed class CountingStream(Stream inner) : WriteThroughStream(inner)
    {
        private long _written;

        public long Written => Interlocked.Read(ref _written);

        protected override void OnWrite(ReadOnlySpan<byte> data) => Interlocked.Add(ref _written, data.Length);
    }
}
