using System.Security.Cryptography;
using System.Text;

namespace LlamaSwap.AuthProxy.Keys;

/// <summary>
/// The accepted API keys, compared in constant time: both sides are hashed to a fixed length and
/// every key is checked, so neither the position nor the length of a match shows in the timing.
/// </summary>
internal sealed class ApiKeySet
{
    private readonly byte[][] _hashes;

    public ApiKeySet(IEnumerable<string> keys)
    {
        _hashes = keys.Where(k => !string.IsNullOrEmpty(k)).Distinct(StringComparer.Ordinal).Select(Hash).ToArray();
    }

    /// <summary>No keys configured: every request is let through.</summary>
    public bool IsOpen => _hashes.Length == 0;

    public int Count => _hashes.Length;

    public bool Matches(string? candidate)
    {
        if (string.IsNullOrEmpty(candidate))
        {
            return false;
        }

        var hash = Hash(candidate);
        var match = false;
        foreach (var key in _hashes)
        {
            // Non-short-circuiting OR: keep comparing after a hit.
            match |= CryptographicOperations.FixedTimeEquals(hash, key);
        }

        return match;
    }

    private static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));
}
