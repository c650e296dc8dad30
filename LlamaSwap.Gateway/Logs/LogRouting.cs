namespace LlamaSwap.Gateway.Logs;

/// <summary>llama-swap's <c>logToStdout</c>: which sources reach stdout and the combined <c>/logs</c>.</summary>
internal enum LogRouting
{
    Proxy,
    Upstream,
    Both,
    None,
}

internal static class LogRoutingExtensions
{
    /// <summary>The loader accepts only the four names, so anything else is the default, <c>proxy</c>.</summary>
    public static LogRouting Parse(string? value) => value switch
    {
        "upstream" => LogRouting.Upstream,
        "both" => LogRouting.Both,
        "none" => LogRouting.None,
        _ => LogRouting.Proxy,
    };

    public static bool IncludesProxy(this LogRouting routing) => routing is LogRouting.Proxy or LogRouting.Both;

    public static bool IncludesUpstream(this LogRouting routing) => routing is LogRouting.Upstream or LogRouting.Both;
}
