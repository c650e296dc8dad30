using System.Text.Json;
using LlamaSwap.Core.Configuration;
using LlamaSwap.Core.Hosting;

namespace LlamaSwap.AuthProxy.Keys;

/// <summary>
/// Where the proxy's keys come from, first source with any keys wins: the llama-swap config's
/// <c>apiKeys</c>, a JSON keys file, the <c>API_KEYS</c> environment variable.
/// </summary>
internal static partial class ApiKeyLoader
{
    public const string KeysFileKey = "LLAMASWAP_KEYS_FILE";
    public const string KeysEnvKey = "API_KEYS";
    public const string DefaultKeysFile = "config.json";

    public static ApiKeySet Load(IConfiguration configuration, ILogger logger)
    {
        if (ConfigLocation.From(configuration) is { } location)
        {
            var configPath = location.ToString();
            var result = location.Load();
            if (!result.Succeeded)
            {
                throw new InvalidOperationException(
                    $"invalid config {configPath}:{Environment.NewLine}{string.Join(Environment.NewLine, result.Errors)}");
            }

            var config = result.Config!;
            if (config.KeyDefinitions.Count > 0)
            {
                Log.KeysLoaded(logger, config.KeyDefinitions.Count, configPath);
                return new ApiKeySet(config.KeyDefinitions);
            }

            // Keys from elsewhere are full-access.
            return LoadOutsideConfig(configuration, logger);
        }

        return LoadOutsideConfig(configuration, logger);
    }

    private static ApiKeySet LoadOutsideConfig(IConfiguration configuration, ILogger logger)
    {
        var keysFile = configuration[KeysFileKey];
        if (string.IsNullOrWhiteSpace(keysFile))
        {
            keysFile = Path.Combine(Directory.GetCurrentDirectory(), DefaultKeysFile);
        }

        if (File.Exists(keysFile))
        {
            var keys = ReadKeysFile(keysFile);
            if (keys.Count > 0)
            {
                Log.KeysLoaded(logger, keys.Count, keysFile);
                return new ApiKeySet(keys.Select(ApiKeyConfig.Unrestricted));
            }
        }

        var fromEnvironment = ParseList(configuration[KeysEnvKey]);
        if (fromEnvironment.Count > 0)
        {
            Log.KeysLoaded(logger, fromEnvironment.Count, KeysEnvKey);
            return new ApiKeySet(fromEnvironment.Select(ApiKeyConfig.Unrestricted));
        }

        Log.AuthDisabled(logger);
        return new ApiKeySet(Array.Empty<ApiKeyConfig>());
    }

    /// <summary>Comma-separated keys, trimmed, empties dropped.</summary>
    public static IReadOnlyList<string> ParseList(string? value)
        => string.IsNullOrWhiteSpace(value)
            ? []
            : value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    /// <summary>Reads <c>{"apiKeys":["..."]}</c>.</summary>
    public static IReadOnlyList<string> ReadKeysFile(string path)
    {
        using var stream = File.OpenRead(path);
        using var document = JsonDocument.Parse(stream);
        if (!document.RootElement.TryGetProperty("apiKeys", out var keys) || keys.ValueKind != JsonValueKind.Array)
        {
            return [];
        }

        return keys.EnumerateArray()
            .Where(k => k.ValueKind == JsonValueKind.String)
            .Select(k => k.GetString()!.Trim())
            .Where(k => k.Length > 0)
            .ToList();
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Loaded {Count} API keys from {Source}")]
        public static partial void KeysLoaded(ILogger logger, int count, string source);

        [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "No API keys configured: every request is let through without authentication")]
        public static partial void AuthDisabled(ILogger logger);
    }
}
