namespace LlamaSwap.Gateway.Activity;

/// <summary>What a response said about itself: tokens, the duration to report, and an error text for failures.</summary>
/// <param name="DurationMs">The wall time, or llama.cpp's own prompt + generation time when longer.</param>
internal sealed record UsageResult(ActivityTokens Tokens, double DurationMs, string? ErrorMessage);
