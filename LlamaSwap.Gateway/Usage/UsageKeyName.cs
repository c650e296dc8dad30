using LlamaSwap.Core.Security;

namespace LlamaSwap.Gateway.Usage;

/// <summary>
/// The key a request is attributed to: the name in its verified <see cref="KeyClaim"/> (a key name or
/// fingerprint, never the secret). Requests without one (auth off, or sent to the gateway directly)
/// are attributed to <see cref="Anonymous"/>.
/// </summary>
internal static class UsageKeyName
{
    public const string Anonymous = "-";

    private const int MaxLength = 128;

    public static string Of(HttpContext context)
        => context.Features.Get<KeyClaim>()?.Name is { Length: > 0 } name ? (name.Length > MaxLength ? name[..MaxLength] : name) : Anonymous;
}
