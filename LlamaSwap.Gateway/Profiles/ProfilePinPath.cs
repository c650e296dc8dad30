using LlamaSwap.Core.Configuration;

namespace LlamaSwap.Gateway.Profiles;

/// <summary>
/// The active profile on <c>/upstream/&lt;pin&gt;/...</c> (reference 2.5): the longest leading run
/// of segments that is a pin name is replaced by the pin's target.
/// </summary>
internal static class ProfilePinPath
{
    private const string Prefix = "/upstream/";

    /// <summary>
    /// The paths with the pin replaced (the raw one null when it cannot be rewritten alike), or the
    /// inputs unchanged when no pin matches. <c>Disabled</c> is true when the pin has no target.
    /// </summary>
    public static (string DecodedPath, string? RawPath, bool Disabled) Rewrite(ProfileConfig? profile, string decodedPath, string? rawPath)
    {
        if (profile is null || !decodedPath.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return (decodedPath, rawPath, false);
        }

        var segments = decodedPath[Prefix.Length..].Split('/');
        string? pin = null;
        for (var count = 1; count <= segments.Length; count++)
        {
            var candidate = string.Join('/', segments, 0, count);
            if (profile.Pins.ContainsKey(candidate))
            {
                pin = candidate;
            }
        }

        if (pin is null)
        {
            return (decodedPath, rawPath, false);
        }

        if (profile.Pins[pin] is not { } target)
        {
            return (decodedPath, rawPath, true);
        }

        var rest = decodedPath[(Prefix.Length + pin.Length)..];
        var rawPrefix = Prefix + pin;
        string? raw = rawPath is not null && rawPath.StartsWith(rawPrefix, StringComparison.Ordinal)
            && (rawPath.Length == rawPrefix.Length || rawPath[rawPrefix.Length] == '/')
            ? Prefix + target + rawPath[rawPrefix.Length..]
            : null;
        return (Prefix + target + rest, raw, false);
    }
}
