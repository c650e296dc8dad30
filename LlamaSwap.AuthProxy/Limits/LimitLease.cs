namespace LlamaSwap.AuthProxy.Limits;

/// <summary>A slot of a key's <c>maxConcurrent</c>, held while its request runs; released by <see cref="KeyLimiter.ReleaseAsync"/>.</summary>
/// <param name="InRedis">Where the slot was taken: it is given back there, even if Redis went away or came back meanwhile.</param>
internal sealed record LimitLease(string KeyName, string Id, bool InRedis);
