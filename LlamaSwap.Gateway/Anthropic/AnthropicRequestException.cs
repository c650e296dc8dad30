namespace LlamaSwap.Gateway.Anthropic;

/// <summary>An Anthropic request that cannot be expressed as a chat completion; answered with 400.</summary>
internal sealed class AnthropicRequestException(string message) : Exception(message);
