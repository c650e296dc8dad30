using LlamaSwap.Core.Configuration;

namespace LlamaSwap.Gateway.Usage;

/// <summary>
/// The key a request is attributed to: the auth proxy's <see cref="ApiKeyConfig.KeyNameHeader"/>
/// (a key name or fingerprint, never the secret; the proxy removes any client-sent copy). Requests
/// without it (auth off, or sent to the gateway directly) are attributed to <see cref="Anonymous"/>.
/// </summary>
internal static class UsageKeyName
{
    public const string Anonymous = "-";

    private const int MaxLength = 128;

    public static string From(IReadOnlyList<KeyValuePair<string, string>> headers)
    {
        foreach (var (name, value) in headers)
        {
            if (string.Equals(name, ApiKeyConfig.KeyNameHeader, StringComparison.OrdinalIgnoreCase))
            {
                var trimmed = value.Trim();
                return trimmed.Length == 0 ? Anonymous : trimmed.Length > MaxLength ? trimmed[..MaxLength] : trimmed;
            }
        }

        return Anonymous;
    }
}
