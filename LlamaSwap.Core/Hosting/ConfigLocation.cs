using System.Globalization;
using System.Text;
using LlamaSwap.Core.Configuration;
using LlamaSwap.Core.Configuration.Merge;
using Microsoft.Extensions.Configuration;

namespace LlamaSwap.Core.Hosting;

/// <summary>
/// Where a service's llama-swap config lives: <c>LLAMASWAP_CONFIG</c> and/or <c>LLAMASWAP_CONFIG_DIR</c>
/// (the AppHost's <c>--config</c> and <c>--config-dir</c>, reference 1.1-1.2).
/// </summary>
public sealed record ConfigLocation(string? File, string? Directory)
{
    /// <summary>The location the service was given, or null when neither variable is set.</summary>
    public static ConfigLocation? From(IConfiguration configuration)
    {
        var file = configuration[WiringEnvironment.ConfigPathKey];
        var directory = configuration[WiringEnvironment.ConfigDirKey];
        return string.IsNullOrWhiteSpace(file) && string.IsNullOrWhiteSpace(directory)
            ? null
            : new ConfigLocation(NullIfBlank(file), NullIfBlank(directory));
    }

    public ConfigLoadResult Load(IReadOnlyDictionary<string, string>? environment = null)
        => ConfigLoader.LoadFiles(File, Directory, environment);

    /// <summary>
    /// Changes whenever a source file is written, added or removed (mtime and size, following
    /// symlinks, as llama-swap's watcher does).
    /// </summary>
    public string Stamp()
    {
        var stamp = new StringBuilder();
        IReadOnlyList<string> files;
        try
        {
            files = ConfigSources.List(File, Directory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "unreadable directory";
        }

        foreach (var path in files)
        {
            var info = new FileInfo(path);
            var target = info.ResolveLinkTarget(returnFinalTarget: true) as FileInfo ?? info;
            stamp.Append(path).Append('|');
            stamp.Append(target.Exists ? string.Create(CultureInfo.InvariantCulture, $"{target.LastWriteTimeUtc.Ticks}:{target.Length}") : "missing");
            stamp.Append('\n');
        }

        return stamp.ToString();
    }

    /// <summary>For messages: the file, the directory, or both.</summary>
    public override string ToString()
        => (File, Directory) switch
        {
            ({ } file, { } directory) => $"{file} + {directory}",
            ({ } file, null) => file,
            (null, { } directory) => directory,
            _ => "(none)",
        };

    private static string? NullIfBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
