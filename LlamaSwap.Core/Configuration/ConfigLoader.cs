using System.Collections;
using LlamaSwap.Core.Configuration.Loading;

namespace LlamaSwap.Core.Configuration;

/// <summary>Loads llama-swap YAML configuration (reference sections 1.3-1.7, 1.11).</summary>
public static class ConfigLoader
{
    /// <summary>Loads and validates a config file; never throws for bad content.</summary>
    public static ConfigLoadResult LoadFile(string path, IReadOnlyDictionary<string, string>? environment = null)
    {
        string yaml;
        try
        {
            yaml = ConfigFileText.Read(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return Failed($"config file not found: {path}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return Failed($"cannot read config file {path}: {e.Message}");
        }

        return LoadYaml(yaml, environment);
    }

    /// <summary>
    /// Loads <c>--config</c> and/or <c>--config-dir</c> (reference 1.2): one file loads as
    /// <see cref="LoadFile"/>; with a directory every file is env-expanded, parsed and merged first.
    /// </summary>
    public static ConfigLoadResult LoadFiles(string? configPath, string? configDir, IReadOnlyDictionary<string, string>? environment = null)
        => string.IsNullOrEmpty(configDir)
            ? LoadFile(configPath ?? string.Empty, environment)
            : Merge.MultiFileLoader.Load(string.IsNullOrEmpty(configPath) ? null : configPath, configDir, environment ?? ProcessEnvironment());

    /// <summary>Loads and validates YAML text; <paramref name="environment"/> defaults to the process environment.</summary>
    public static ConfigLoadResult LoadYaml(string yaml, IReadOnlyDictionary<string, string>? environment = null)
        => new ConfigBuilder(environment ?? ProcessEnvironment()).Load(yaml);

    private static ConfigLoadResult Failed(string message)
        => new(null, [new ConfigDiagnostic(string.Empty, message)], []);

    private static Dictionary<string, string> ProcessEnvironment()
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            variables[(string)entry.Key] = entry.Value as string ?? string.Empty;
        }

        return variables;
    }
}
