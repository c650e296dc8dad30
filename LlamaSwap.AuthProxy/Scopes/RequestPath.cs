namespace LlamaSwap.AuthProxy.Scopes;

/// <summary>
/// The request path as the gateway's routing will match it, for deciding the scope: lower case
/// (ASP.NET routes are case-insensitive), duplicate slashes collapsed, no trailing slash.
/// </summary>
internal static class RequestPath
{
    public const string UpstreamPrefix = "/upstream/";

    /// <summary>
    /// The normalized path, or null when the path is ambiguous: a dot segment left in it (the server
    /// normally removes them), a backslash, or, outside <c>/upstream/</c>, a percent sign that survived
    /// decoding (<c>%2F</c> is never decoded, <c>%252e</c> decodes to <c>%2e</c>): another hop could
    /// read such a path differently, so it is refused instead of guessed at.
    /// </summary>
    /// <param name="path">The decoded request path (<see cref="HttpRequest.Path"/>).</param>
    public static string? Normalize(string? path)
    {
        if (string.IsNullOrEmpty(path))
        {
            return "/";
        }

        if (path.Contains('\\', StringComparison.Ordinal))
        {
            return null;
        }

        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Any(s => s is "." or ".."))
        {
            return null;
        }

        var normalized = "/" + string.Join('/', segments).ToLowerInvariant();

        // Under /upstream/ the gateway resolves the model segments exactly as they arrive (%2F
        // included) and passes the rest on opaque, so encodings there are the upstream's business.
        if (!normalized.StartsWith(UpstreamPrefix, StringComparison.Ordinal) && normalized.Contains('%', StringComparison.Ordinal))
        {
            return null;
        }

        return normalized;
    }
}
