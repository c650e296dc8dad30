using LlamaSwap.Core.Configuration;

namespace LlamaSwap.AuthProxy.Keys;

/// <summary>
/// Request feature set by the key check once a request is authenticated: which key it used. Absent
/// when auth is off (no keys configured) or the route needs no key. Limits and usage read it.
/// </summary>
internal sealed record AuthenticatedKey(ApiKeyConfig Key);
