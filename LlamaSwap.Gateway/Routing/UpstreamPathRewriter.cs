namespace LlamaSwap.Gateway.Routing;

/// <summary>Maps a gateway route to the path the upstream serves (reference section 2.1).</summary>
internal static class UpstreamPathRewriter
{
    private const string VersionlessPrefix = "/v/";
    private const string AudioApiPrefix = "/audioapi/";

    /// <summary>
    /// <c>/v/chat/completions</c> -> <c>/chat/completions</c> (servers without the <c>/v1</c> prefix, issue #728),
    /// <c>/audioapi/v1/tasks/run</c> -> <c>/v1/tasks/run</c>; any other path is unchanged.
    /// </summary>
    public static string Rewrite(string path)
    {
        if (path.StartsWith(VersionlessPrefix, StringComparison.Ordinal))
        {
            return path[(VersionlessPrefix.Length - 1)..];
        }

        if (path.StartsWith(AudioApiPrefix, StringComparison.Ordinal))
        {
            return path[(AudioApiPrefix.Length - 1)..];
        }

        return path;
    }
}
