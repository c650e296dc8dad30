namespace LlamaSwap.Core.Configuration.Merge;

/// <summary>
/// The files a <c>--config</c> / <c>--config-dir</c> pair names, in merge order (reference 1.1, 1.2):
/// the config file first, then the directory's <c>*.yml</c>/<c>*.yaml</c> files sorted by name, not recursive.
/// </summary>
public static class ConfigSources
{
    /// <summary>The files to merge, in order; throws <see cref="IOException"/> when the directory cannot be listed.</summary>
    public static IReadOnlyList<string> List(string? configPath, string? configDir)
    {
        var files = new List<string>();
        if (!string.IsNullOrEmpty(configPath))
        {
            files.Add(configPath);
        }

        if (!string.IsNullOrEmpty(configDir))
        {
            files.AddRange(Directory.EnumerateFiles(configDir)
                .Where(f => f.EndsWith(".yml", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase))
                .OrderBy(Path.GetFileName, StringComparer.Ordinal));
        }

        return files;
    }
}
