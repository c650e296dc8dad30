namespace LlamaSwap.AuthProxy.Limits;

/// <summary>Which of a key's limits refused a request.</summary>
internal enum LimitRefusal
{
    None,
    RequestsPerMinute,
    TokensPerMinute,
    MaxConcurrent,
}
