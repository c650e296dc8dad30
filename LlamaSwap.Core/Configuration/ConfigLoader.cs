namespace LlamaSwap.Core.Configuration;

/// <summary>Loads llama-swap YAML configuration (reference sections 1.3-1.7, 1.11).</summary>
public static class ConfigLoader
{
    /// <summary>Loads and validates a config file; never throws for bad content.</summary>
    public static ConfigLoadResult LoadFile(string path, IReadOnlyDictionary<string, string>? environment = null)
        => throw new NotImplementedException();

    /// <summary>Loads and validates YAML text; <paramref name="environment"/> defaults to the process environment.</summary>
    public static ConfigLoadResult LoadYaml(string yaml, IReadOnlyDictionary<string, string>? environment = null)
        => throw new NotImplementedException();
}
