using System.Globalization;
using System.Reflection;
using System.Text.Json.Serialization;

namespace LlamaSwap.Core.Hosting;

/// <summary>
/// Version, commit and build date of a LlamaSwap program, as llama-swap reports its own
/// (<c>/api/version</c>, <c>-version</c>). The informational version is <c>version+commit</c> (the SDK
/// adds the git commit when it builds from a clone).
/// </summary>
public sealed record BuildInfo(
    [property: JsonPropertyName("version")] string Version,
    [property: JsonPropertyName("commit")] string Commit,
    [property: JsonPropertyName("build_date")] string BuildDate)
{
    public static BuildInfo Of(Assembly assembly)
    {
        var informational = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
        var parts = informational.Split('+', 2);
        var built = File.Exists(assembly.Location) ? File.GetLastWriteTimeUtc(assembly.Location) : DateTime.UnixEpoch;
        return new BuildInfo(parts[0], parts.Length > 1 ? parts[1] : "unknown", built.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));
    }

    /// <summary>llama-swap's <c>-version</c> line.</summary>
    public override string ToString() => $"version: {Version} ({Commit}), built at {BuildDate}";
}
