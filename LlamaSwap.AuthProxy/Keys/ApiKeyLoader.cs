using System.Text.Json;
using LlamaSwap.Core.Configuration;
using LlamaSwap.Core.Hosting;

namespace LlamaSwap.AuthProxy.Keys;

/// <summary>
/// Where the proxy's keys come from; the first source with any key wins:
/// <list type="number">
/// <item>the llama-swap config's <c>apiKeys</c>;</item>
/// <item>a JSON keys file <c>{"apiKeys": [...]}</c> (the seed stack's <c>config.json</c>): the one
/// <c>LLAMASWAP_KEYS_FILE</c> names (it must exist; no other file is then looked for), else
/// <c>config.json</c> next to the llama-swap config, then <c>config.json</c> in the user's working
/// directory (<c>LLAMASWAP_WORKDIR</c>, set by the launcher; the process's own when unset);</item>
/// <item>the comma-separated <c>API_KEYS</c> environment variable.</item>
/// </list>
/// Keys from outside the config are full-access.
/// </summary>
internal static partial class ApiKeyLoader
{
    public const string KeysFileKey = "LLAMASWAP_KEYS_FILE";
    public const string KeysEnvKey = "API_KEYS";
    public const string DefaultKeysFile = "config.json";

    /// <exception cref="InvalidOperationException">An invalid config, or a named keys file that does not exist.</exception>
    /// <exception cref="IOException">A keys file that cannot be read.</exception>
    public static ApiKeySet Load(IConfiguration configuration, ILogger logger)
    {
        var searched = new List<string>();
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

            searched.Add($"apiKeys in {configPath}");
        }

        foreach (var keysFile in KeysFiles(configuration))
        {
            searched.Add(keysFile);
            if (File.Exists(keysFile) && ReadKeysFile(keysFile) is { Count: > 0 } keys)
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

        // The warning that the port is open comes once the proxy listens (OpenPortWarning), with its address.
        searched.Add(KeysEnvKey);
        Log.NoKeys(logger, string.Join(", ", searched));
        return new ApiKeySet(Array.Empty<ApiKeyConfig>());
    }

    /// <summary>The keys files to read, in order, as absolute paths.</summary>
    /// <exception cref="InvalidOperationException"><c>LLAMASWAP_KEYS_FILE</c> names a file that does not exist.</exception>
    public static IReadOnlyList<string> KeysFiles(IConfiguration configuration)
    {
        var workDirectory = WorkDirectory(configuration);
        if (configuration[KeysFileKey] is { } named && !string.IsNullOrWhiteSpace(named))
        {
            // A named file that is missing must not quietly leave the port open: it stops the start (or a reload).
            var path = Path.GetFullPath(named, workDirectory);
            return File.Exists(path)
                ? [path]
                : throw new InvalidOperationException($"{KeysFileKey} names the keys file {path}, which does not exist");
        }

        List<string> directories = [];
        if (ConfigLocation.From(configuration) is { } location)
        {
            // The config loader resolves a relative config path against the process's directory; so does this.
            directories.Add(location.File is { } file ? Path.GetDirectoryName(Path.GetFullPath(file))! : Path.GetFullPath(location.Directory!));
        }

        directories.Add(workDirectory);
        return directories.Select(d => Path.Combine(d, DefaultKeysFile)).Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>Comma-separated keys, trimmed, empties dropped.</summary>
    public static IReadOnlyList<string> ParseList(string? value)
        => string.IsNullOrWhiteSpace(value)
            ? []
            : value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    /// <summary>Reads <c>{"apiKeys":["..."]}</c>.</summary>
    /// <exception cref="InvalidOperationException">The file is not JSON.</exception>
    public static IReadOnlyList<string> ReadKeysFile(string path)
    {
        using var stream = File.OpenRead(path);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(stream);
        }
        catch (JsonException ex)
        {
            throw new InvalidOperationException($"keys file {path} is not valid JSON: {ex.Message}", ex);
        }

        using (document)
        {
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
    }

    /// <summary>Where the user ran the launcher: <c>LLAMASWAP_WORKDIR</c>, or this process's working directory when run directly.</summary>
    private static string WorkDirectory(IConfiguration configuration)
        => configuration[WiringEnvironment.WorkDirectory] is { } directory && !string.IsNullOrWhiteSpace(directory)
            ? Path.GetFullPath(directory)
            : Directory.GetCurrentDirectory();

    private static partial class Log
    {
        [LoggerMessage(EventId = 1620, Level = LogLevel.Information, Message = "Loaded {Count} API keys from {Source}")]
        public static partial void KeysLoaded(ILogger logger, int count, string source);

        [LoggerMessage(EventId = 1621, Level = LogLevel.Information, Message = "No API keys found; looked in: {Searched}")]
        public static partial void NoKeys(ILogger logger, string searched);
    }
}
