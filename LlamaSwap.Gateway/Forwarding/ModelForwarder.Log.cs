using Yarp.ReverseProxy.Forwarder;

namespace LlamaSwap.Gateway.Forwarding;

internal sealed partial class ModelForwarder
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 201, Level = LogLevel.Debug, Message = "Client aborted request for {Model} ({Error})")]
        public static partial void ClientAborted(ILogger logger, string model, ForwarderError error);

        [LoggerMessage(EventId = 202, Level = LogLevel.Warning, Message = "Forwarding to {Model} at {Upstream} failed: {Error}")]
        public static partial void ForwardFailed(ILogger logger, string model, string upstream, ForwarderError error, Exception? exception);

        [LoggerMessage(EventId = 204, Level = LogLevel.Information, Message = "Forwarding to {Model} at {Upstream} failed before any response ({Reason}): sending it again on a new connection (attempt {Retry})")]
        public static partial void Resending(ILogger logger, string model, string upstream, int retry, string? reason);
    }
}
