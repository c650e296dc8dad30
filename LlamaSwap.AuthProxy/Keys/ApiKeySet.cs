using System.Security.Cryptography;
using System.Text;
using LlamaSwap.Core.Configuration;

namespace LlamaSwap.AuthProxy.Keys;

/// <summary>
/// The accepted API keys, compared in constant time: the candidate is hashed to a fixed length and
/// every key is checked, so neither the position nor the length of a match shows in the timing.
/// </summary>
internal sealed class ApiKeySet
{
    private readonly ApiKeyConfig[] _keys;

    /// <summary>Full-access keys given as secrets (<c>config.json</c>, <c>API_KEYS</c>, tests).</summary>
    public ApiKeySet(IEnumerable<string> secrets)
        : this(secrets.Where(k => !string.IsNullOrEmpty(k)).Select(ApiKeyConfig.Unrestricted))
    {
    }

    public ApiKeySet(IEnumerable<ApiKeyConfig> keys)
    {
        _keys = keys.DistinctBy(k => Convert.ToHexString(k.Sha256), StringComparer.Ordinal).ToArray();
        AllUnrestricted = _keys.All(k => k.IsUnrestricted);
        RestrictsModels = _keys.Any(k => !k.AllowsEveryModel);
    }

    /// <summary>No keys configured: every request is let through.</summary>
    public bool IsOpen => _keys.Length == 0;

    public int Count => _keys.Length;

    /// <summary>Every key is a plain full-access key: nothing beyond the match needs checking.</summary>
    public bool AllUnrestricted { get; }

    /// <summary>Some key is limited to some models: the gateway must receive signed key claims to enforce that.</summary>
    public bool RestrictsModels { get; }

    public bool Matches(string? candidate) => Match(candidate) is not null;

    /// <summary>The key whose secret is <paramref name="candidate"/>, or null; expiry is the caller's check.</summary>
    public ApiKeyConfig? Match(string? candidate)
    {
        if (string.IsNullOrEmpty(candidate))
        {
            return null;
        }

        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(candidate));
        var found = -1;
        for (var i = 0; i < _keys.Length; i++)
        {
            // No early exit: keep comparing after a hit.
            var equal = CryptographicOperations.FixedTimeEquals(hash, _keys[i].Sha256);
            found = equal ? i : found;
        }

        return found < 0 ? null : _keys[found];
    }
}
