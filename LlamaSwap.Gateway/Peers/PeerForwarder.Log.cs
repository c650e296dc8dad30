using Yarp.ReverseProxy.Forwarder;

namespace LlamaSwap.Gateway.Peers;

internal sealed partial class PeerForwarder
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 500, Level = LogLevel.Debug, Message = "Client aborted request for peer model {Model} ({Error})")]
        public static partial void ClientAborted(ILogger logger, string model, ForwarderError error);

        [LoggerMessage(EventId = 501, Level = LogLevel.Warning, Message = "Forwarding to peer model {Model} at {Peer} failed: {Error}")]
        public static partial void PeerFailed(ILogger logger, string model, string peer, ForwarderError error, Exception? exception);
    }
}
