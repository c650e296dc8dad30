using Yarp.ReverseProxy.Forwarder;

namespace LlamaSwap.Gateway.Forwarding;

internal sealed partial class ModelForwarder
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 200, Level = LogLevel.Information, Message = "Supervisor refused {Model}: {StatusCode} {Message}")]
        public static partial void AcquireRefused(ILogger logger, string model, int statusCode, string message);

        [LoggerMessage(EventId = 201, Level = LogLevel.Debug, Message = "Client aborted request for {Model} ({Error})")]
        public static partial void ClientAborted(ILogger logger, string model, ForwarderError error);

        [LoggerMessage(EventId = 202, Level = LogLevel.Warning, Message = "Forwarding to {Model} at {Upstream} failed: {Error}")]
        public static partial void ForwardFailed(ILogger logger, string model, string upstream, ForwarderError error, Exception? exception);

        [LoggerMessage(EventId = 203, Level = LogLevel.Debug, Message = "Websocket for {Model} forwarded to {Upstream} without a lease (compat.ignoreWebsockets)")]
        public static partial void UnleasedWebsocket(ILogger logger, string model, string upstream);

        [LoggerMessage(EventId = 204, Level = LogLevel.Information, Message = "Forwarding to {Model} at {Upstream} failed before any response ({Reason}): sending it again on a new connection (attempt {Retry})")]
        public static partial void Resending(ILogger logger, string model, string upstream, int retry, string? reason);
    }
}
