namespace LlamaSwap.Gateway.Anthropic;

internal sealed partial class AnthropicForwarder
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 400, Level = LogLevel.Information, Message = "Anthropic request for {Model} cannot be translated: {Reason}")]
        public static partial void Untranslatable(ILogger logger, string model, string reason);

        [LoggerMessage(EventId = 401, Level = LogLevel.Information, Message = "Upstream of {Model} answered {StatusCode} to a translated Anthropic request: {Message}")]
        public static partial void UpstreamError(ILogger logger, string model, int statusCode, string message);

        [LoggerMessage(EventId = 402, Level = LogLevel.Warning, Message = "Translated Anthropic request to {Model} at {Url} failed")]
        public static partial void UpstreamFailed(ILogger logger, string model, string url, Exception exception);

        [LoggerMessage(EventId = 403, Level = LogLevel.Debug, Message = "Client aborted translated Anthropic request for {Model}")]
        public static partial void ClientAborted(ILogger logger, string model);
    }
}
