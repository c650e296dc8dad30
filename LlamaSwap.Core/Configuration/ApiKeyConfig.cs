namespace LlamaSwap.Core.Configuration;

/// <summary>What a key may do (issue: per-key scopes).</summary>
[Flags]
public enum ApiKeyScopes
{
    None = 0,

    /// <summary>Model-dispatched routes (<c>/v1/chat/completions</c>, <c>/upstream/...</c>, ...).</summary>
    Inference = 1,

    /// <summary><c>/v1/models</c>, <c>/running</c>, <c>/api/events</c>, <c>/logs*</c>, metrics, the UI.</summary>
    Read = 2,

    /// <summary>Unload, profiles, captures, in-flight cancel, usage.</summary>
    Admin = 4,

    All = Inference | Read | Admin,
}

/// <summary>
/// One API key as the auth proxy enforces it. A plain string in <c>apiKeys</c> (and every key from
/// <c>config.json</c> or <c>API_KEYS</c>) is a full-access key without limits, as in llama-swap.
/// </summary>
public sealed record ApiKeyConfig
{
    /// <summary>The configured name, or a fingerprint (<c>key-</c> + 8 hex digits of the hash) when none is given; never the secret.</summary>
    public required string Name { get; init; }

    /// <summary>SHA-256 of the secret (given as the secret itself or as <c>sha256:&lt;hex&gt;</c>).</summary>
    public required byte[] Sha256 { get; init; }

    /// <summary>Glob patterns (<c>*</c>, <c>?</c>) over model IDs and aliases; <c>["*"]</c> = every model.</summary>
    public IReadOnlyList<string> Models { get; init; } = ["*"];

    public ApiKeyScopes Scopes { get; init; } = ApiKeyScopes.All;

    public int? RequestsPerMinute { get; init; }

    public int? TokensPerMinute { get; init; }

    public int? MaxConcurrent { get; init; }

    /// <summary>After this instant the key is refused.</summary>
    public DateTimeOffset? Expires { get; init; }

    /// <summary>Full access, no limits, no expiry: what a plain llama-swap key is.</summary>
    public bool IsUnrestricted => Scopes == ApiKeyScopes.All && Models is ["*"]
        && RequestsPerMinute is null && TokensPerMinute is null && MaxConcurrent is null && Expires is null;

    /// <summary>Every model, as a plain llama-swap key.</summary>
    public bool AllowsEveryModel => Models is ["*"];

    /// <summary>Whether the key has expired at <paramref name="now"/>.</summary>
    public bool IsExpiredAt(DateTimeOffset now) => Expires is { } expires && now >= expires;

    /// <summary>The name of a key configured without one: <c>key-</c> and the first 8 hex digits of its hash.</summary>
    public static string FingerprintName(byte[] sha256) => "key-" + Convert.ToHexStringLower(sha256.AsSpan(0, 4));

    /// <summary>A full-access key, as a plain string in <c>apiKeys</c>, <c>config.json</c> or <c>API_KEYS</c> defines it.</summary>
    public static ApiKeyConfig Unrestricted(string secret)
    {
        var hash = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(secret));
        return new ApiKeyConfig { Name = FingerprintName(hash), Sha256 = hash };
    }
}
