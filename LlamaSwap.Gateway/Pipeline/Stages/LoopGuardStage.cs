using LlamaSwap.Core.Http;
using LlamaSwap.Gateway.Peers;

namespace LlamaSwap.Gateway.Pipeline.Stages;

/// <summary>
/// Refuses, before anything is read or started, a request that already passed through this gateway
/// (a peer whose <c>proxy</c> leads back here, directly or through other LlamaSwaps) or through too
/// many gateways: 508 Loop Detected. Peers add this gateway to <see cref="PeerHops.Header"/>.
/// </summary>
internal sealed partial class LoopGuardStage(RequestDelegate next, PeerHops hops, ILogger<LoopGuardStage> logger)
{
    public Task InvokeAsync(HttpContext context)
    {
        if (hops.Problem(context.Request.Headers) is not { } problem)
        {
            return next(context);
        }

        Log.LoopRefused(logger, context.Request.Method, context.Request.Path.Value ?? "/", problem);
        return ErrorResponses.WriteAsync(context, StatusCodes.Status508LoopDetected, problem);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 210, Level = LogLevel.Warning, Message = "Refused {Method} {Path}: {Problem}")]
        public static partial void LoopRefused(ILogger logger, string method, string path, string problem);
    }
}
