using System.Reflection;

namespace LlamaSwap.AppHost.Hosting;

/// <summary>
/// Where the built services live. The repo root and configuration are embedded at build time
/// (see the csproj), so the AppHost launches the outputs its own build produced and never builds.
/// </summary>
internal sealed record BuildLayout(string RepoRoot, string Configuration)
{
    public const string TargetFramework = "net10.0";

    public static BuildLayout FromEntryAssembly() => FromAssembly(typeof(BuildLayout).Assembly);

    public static BuildLayout FromAssembly(Assembly assembly)
    {
        string Metadata(string key) =>
            assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == key)?.Value
            ?? throw new InvalidOperationException($"assembly metadata '{key}' missing: rebuild LlamaSwap.AppHost");

        return new BuildLayout(Metadata("LlamaSwapRepoRoot"), Metadata("LlamaSwapConfiguration"));
    }

    /// <summary>The project file of a project directory given relative to the repo root (e.g. <c>tools/LlamaSwap.TestUpstream</c>).</summary>
    public string ProjectFile(string projectDirectory) =>
        Path.Combine(RepoRoot, projectDirectory, ProjectName(projectDirectory) + ".csproj");

    /// <summary>The built entry assembly, run as <c>dotnet &lt;dll&gt;</c>.</summary>
    public string ProjectDll(string projectDirectory) =>
        Path.Combine(RepoRoot, projectDirectory, "bin", Configuration, TargetFramework, ProjectName(projectDirectory) + ".dll");

    public static string ProjectName(string projectDirectory) => Path.GetFileName(projectDirectory.TrimEnd('/'));
}
