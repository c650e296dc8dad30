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
            yaml = File.ReadAllText(path);
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
