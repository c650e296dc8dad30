namespace LlamaSwap.Gateway.Anthropic;

/// <summary>Which Anthropic Messages endpoint a gateway path is, if any.</summary>
internal enum AnthropicEndpoint
{
    None,
    Messages,
    CountTokens,
}

/// <summary>Recognises <c>/v1/messages</c> and its versionless <c>/v/messages</c> form (issue #728).</summary>
internal static class AnthropicRoute
{
    private const string VersionlessPrefix = "/v/";

    public static AnthropicEndpoint Match(string? path) => path switch
    {
        "/v1/messages" or "/v/messages" => AnthropicEndpoint.Messages,
        "/v1/messages/count_tokens" or "/v/messages/count_tokens" => AnthropicEndpoint.CountTokens,
        _ => AnthropicEndpoint.None,
    };

    /// <summary>
    /// The chat-completions path the upstream serves: a client that used the versionless route is
    /// talking to a server without the <c>/v1</c> prefix.
    /// </summary>
    public static string ChatCompletionsPath(string path)
        => path.StartsWith(VersionlessPrefix, StringComparison.Ordinal) ? "/chat/completions" : "/v1/chat/completions";
}
