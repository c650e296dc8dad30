using LlamaSwap.Core.Configuration;

namespace LlamaSwap.Gateway.Logs;

/// <summary>How the gateway's own lines are written to the proxy log: <c>logLevel</c> and <c>logTimeFormat</c>.</summary>
internal sealed record ProxyLogSettings(LogLevel MinimumLevel, Func<DateTimeOffset, string>? Timestamp)
{
    public static ProxyLogSettings Default { get; } = new(LogLevel.Information, null);

    public static ProxyLogSettings From(LlamaSwapConfig config) => new(ParseLevel(config.LogLevel), GoTimeLayouts.Find(config.LogTimeFormat));

    /// <summary>llama-swap's levels, case-insensitive; anything else is <c>info</c>.</summary>
    public static LogLevel ParseLevel(string? level) => level?.Trim().ToLowerInvariant() switch
    {
        "debug" => LogLevel.Debug,
        "warn" => LogLevel.Warning,
        "error" => LogLevel.Error,
        _ => LogLevel.Information,
    };

    /// <summary>One proxy log line: <c>[&lt;time&gt; ][LEVEL] message\n</c>.</summary>
    public string Format(DateTimeOffset now, LogLevel level, string message)
    {
        var name = level switch
        {
            LogLevel.Trace or LogLevel.Debug => "DEBUG",
            LogLevel.Information => "INFO",
            LogLevel.Warning => "WARN",
            _ => "ERROR",
        };
        return Timestamp is null ? $"[{name}] {message}\n" : $"{Timestamp(now)} [{name}] {message}\n";
    }
}
