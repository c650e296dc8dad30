using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace LlamaSwap.Core.Security;

/// <summary>
/// Signs and verifies the <see cref="HeaderName"/> header that carries a <see cref="KeyClaim"/> from
/// the auth proxy to the gateway: <c>v1.&lt;payload&gt;.&lt;HMAC-SHA256&gt;</c> (base64url) under a
/// secret both share (<see cref="SecretSetting"/>). The payload binds the claim to one request: its
/// method, a fresh nonce the verifier accepts only once, and an issue time at most
/// <see cref="MaxAge"/> old. A client cannot forge it (no secret) or replay one it saw.
/// </summary>
public sealed class KeyClaimSigner
{
    public const string HeaderName = "X-LlamaSwap-Key";

    /// <summary>The configuration key (and environment variable) of the shared secret.</summary>
    public const string SecretSetting = "LLAMASWAP_INTERNAL_SECRET";

    /// <summary>How old a claim may be when it arrives: it is made the moment the request is forwarded.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(30);

    private const string Version = "v1";

    private readonly byte[] _key;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, long> _seenNonces = new(StringComparer.Ordinal);
    private long _nextPurge;

    public KeyClaimSigner(string secret, TimeProvider time)
    {
        if (string.IsNullOrEmpty(secret))
        {
            throw new ArgumentException("the key-claim secret is empty", nameof(secret));
        }

        _key = SHA256.HashData(Encoding.UTF8.GetBytes(secret));
        _time = time;
    }

    /// <summary>The signer for the configured secret; null when none is configured.</summary>
    public static KeyClaimSigner? FromSetting(string? secret, TimeProvider time)
        => string.IsNullOrEmpty(secret) ? null : new KeyClaimSigner(secret, time);

    /// <summary>A random secret, for a launcher that starts both sides.</summary>
    public static string NewSecret() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    public string Sign(KeyClaim claim, string method)
    {
        var payload = new Payload(claim.Name, claim.Models, method.ToUpperInvariant(), _time.GetUtcNow().ToUnixTimeMilliseconds(),
            Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16)));
        var body = Version + "." + Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(payload, PayloadJson.Default.Payload));
        return body + "." + Base64Url.EncodeToString(HMACSHA256.HashData(_key, Encoding.ASCII.GetBytes(body)));
    }

    /// <summary>The claim, or null with the reason it is refused.</summary>
    public KeyClaim? Verify(string header, string method, out string? problem)
    {
        problem = null;
        var parts = header.Split('.');
        if (parts.Length != 3 || parts[0] != Version)
        {
            problem = "malformed key claim";
            return null;
        }

        var body = parts[0] + "." + parts[1];
        var expected = HMACSHA256.HashData(_key, Encoding.ASCII.GetBytes(body));
        byte[] signature;
        Payload? payload;
        try
        {
            signature = Base64Url.DecodeFromChars(parts[2]);
            if (!CryptographicOperations.FixedTimeEquals(signature, expected))
            {
                problem = "key claim signature does not match";
                return null;
            }

            payload = JsonSerializer.Deserialize(Base64Url.DecodeFromChars(parts[1]), PayloadJson.Default.Payload);
        }
        catch (Exception ex) when (ex is FormatException or JsonException)
        {
            problem = "malformed key claim";
            return null;
        }

        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        if (payload is null || payload.Name.Length == 0 || payload.Models is null || payload.Nonce.Length == 0)
        {
            problem = "malformed key claim";
        }
        else if (!string.Equals(payload.Method, method, StringComparison.OrdinalIgnoreCase))
        {
            problem = "key claim was made for another request";
        }
        else if (Math.Abs(now - payload.IssuedAt) > MaxAge.TotalMilliseconds)
        {
            problem = "key claim expired";
        }
        else if (!_seenNonces.TryAdd(payload.Nonce, payload.IssuedAt))
        {
            problem = "key claim already used";
        }

        PurgeSeen(now);
        return problem is null ? new KeyClaim(payload!.Name, payload.Models!) : null;
    }

    /// <summary>Forgets nonces older than twice the maximum age (they would be refused as expired anyway).</summary>
    private void PurgeSeen(long now)
    {
        var due = Interlocked.Read(ref _nextPurge);
        if (now < due || Interlocked.CompareExchange(ref _nextPurge, now + (long)MaxAge.TotalMilliseconds, due) != due)
        {
            return;
        }

        var oldest = now - (2 * (long)MaxAge.TotalMilliseconds);
        foreach (var (nonce, issuedAt) in _seenNonces)
        {
            if (issuedAt < oldest)
            {
                _seenNonces.TryRemove(nonce, out _);
            }
        }
    }

    internal sealed record Payload(
        [property: JsonPropertyName("n")] string Name,
        [property: JsonPropertyName("m")] IReadOnlyList<string>? Models,
        [property: JsonPropertyName("v")] string Method,
        [property: JsonPropertyName("t")] long IssuedAt,
        [property: JsonPropertyName("r")] string Nonce);
}

[JsonSerializable(typeof(KeyClaimSigner.Payload))]
internal sealed partial class PayloadJson : JsonSerializerContext;
