namespace LlamaSwap.AuthProxy.Hardening;

/// <summary>
/// Refuses request targets that different parsers could read differently. Public routes are matched
/// by exact path, so a target is only safe if it has one obvious reading: origin form, no encoded
/// slashes, backslashes, dots or percent signs, no dot segments, empty segments or trailing dots.
/// </summary>
internal static class RequestTargetCheck
{
    private static readonly string[] AmbiguousEscapes = ["%2f", "%5c", "%2e", "%00", "%25"];

    /// <returns>Why the target is refused, or null when it is unambiguous.</returns>
    public static string? Problem(string rawTarget)
    {
        if (rawTarget.Length == 0 || rawTarget[0] != '/')
        {
            return "request target must be an absolute path";
        }

        var queryStart = rawTarget.IndexOf('?', StringComparison.Ordinal);
        var path = queryStart < 0 ? rawTarget : rawTarget[..queryStart];
        foreach (var escape in AmbiguousEscapes)
        {
            if (path.Contains(escape, StringComparison.OrdinalIgnoreCase))
            {
                return $"encoded '{escape}' is not allowed in the path";
            }
        }

        foreach (var c in path)
        {
            if (c == '\\' || char.IsControl(c))
            {
                return "backslashes and control characters are not allowed in the path";
            }
        }

        var segments = path.Split('/');
        for (var i = 1; i < segments.Length; i++)
        {
            var segment = segments[i];
            if (segment.Length == 0 && i < segments.Length - 1)
            {
                return "empty path segments ('//') are not allowed";
            }

            if (segment.EndsWith('.'))
            {
                return "dot segments and trailing dots are not allowed in the path";
            }
        }

        return null;
    }
}
