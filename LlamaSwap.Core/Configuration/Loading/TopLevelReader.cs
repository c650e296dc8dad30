using LlamaSwap.Core.Configuration.Yaml;

namespace LlamaSwap.Core.Configuration.Loading;

/// <summary>Reads the top-level settings (reference 1.3) after global macros were substituted.</summary>
internal static class TopLevelReader
{
    private const int MinHealthCheckTimeout = 15;

    private static readonly string[] LogLevels = ["debug", "info", "warn", "error"];

    private static readonly string[] LogDestinations = ["proxy", "upstream", "both", "none"];

    private static readonly string[] TimeFormats =
    [
        "ansic", "unixdate", "rubydate", "rfc822", "rfc822z", "rfc850", "rfc1123", "rfc1123z", "rfc3339",
        "rfc3339nano", "kitchen", "stamp", "stampmilli", "stampmicro", "stampnano",
    ];

    public static LlamaSwapConfig Read(MappingNode top, ValueReader values)
    {
        var diagnostics = values.Diagnostics;
        var defaults = new LlamaSwapConfig();

        var healthCheckTimeout = values.Int(top["healthCheckTimeout"], "healthCheckTimeout") ?? defaults.HealthCheckTimeoutSeconds;

        var startPort = values.Int(top["startPort"], "startPort") ?? defaults.StartPort;
        if (startPort < 1)
        {
            diagnostics.Error("startPort", "startPort must be greater than 1");
            startPort = defaults.StartPort;
        }

        var globalTtl = values.Int(top["globalTTL"], "globalTTL") ?? 0;
        if (globalTtl < 0)
        {
            diagnostics.Error("globalTTL", $"globalTTL must be >= 0, got {globalTtl}");
            globalTtl = 0;
        }

        var unloadTimeout = values.Int(top["unloadTimeout"], "unloadTimeout") ?? defaults.UnloadTimeoutSeconds;
        if (unloadTimeout < 0)
        {
            diagnostics.Error("unloadTimeout", $"unloadTimeout must be >= 0, got {unloadTimeout}");
        }

        var (apiKeys, keyDefinitions) = ApiKeyReader.Read(top["apiKeys"], values);
        return defaults with
        {
            HealthCheckTimeoutSeconds = Math.Max(healthCheckTimeout, MinHealthCheckTimeout),
            LogLevel = ReadLogLevel(top, values),
            LogTimeFormat = ReadTimeFormat(top, values),
            LogToStdout = ReadLogToStdout(top, values),
            StartPort = startPort,
            GlobalTtlSeconds = globalTtl,
            UnloadTimeoutSeconds = unloadTimeout <= 0 ? defaults.UnloadTimeoutSeconds : unloadTimeout,
            SendLoadingState = values.Bool(top["sendLoadingState"], "sendLoadingState") ?? false,
            ForwardClientAuth = values.Bool(top["forwardClientAuth"], "forwardClientAuth") ?? false,
            IncludeAliasesInList = values.Bool(top["includeAliasesInList"], "includeAliasesInList") ?? false,
            ApiKeys = apiKeys,
            KeyDefinitions = keyDefinitions,
            Observability = ObservabilityReader.Read(top, values),
        };
    }

    private static string ReadLogLevel(MappingNode top, ValueReader values)
    {
        var level = values.String(top["logLevel"], "logLevel")?.Trim().ToLowerInvariant();
        if (level is null || LogLevels.Contains(level))
        {
            return level ?? "info";
        }

        values.Diagnostics.Warning("logLevel", $"unknown log level \"{level}\", using info");
        return "info";
    }

    private static string? ReadTimeFormat(MappingNode top, ValueReader values)
    {
        var format = values.String(top["logTimeFormat"], "logTimeFormat")?.Trim().ToLowerInvariant();
        if (string.IsNullOrEmpty(format))
        {
            return null;
        }

        if (TimeFormats.Contains(format))
        {
            return format;
        }

        values.Diagnostics.Warning("logTimeFormat", $"unknown time format \"{format}\", timestamps disabled");
        return null;
    }

    private static string ReadLogToStdout(MappingNode top, ValueReader values)
    {
        var destination = values.String(top["logToStdout"], "logToStdout")?.Trim();
        if (destination is null)
        {
            return "proxy";
        }

        var normalized = destination.ToLowerInvariant();
        if (LogDestinations.Contains(normalized))
        {
            return normalized;
        }

        values.Diagnostics.Error("logToStdout", $"logToStdout must be one of proxy, upstream, both, none; got \"{destination}\"");
        return "proxy";
    }
}
