namespace LlamaSwap.Tests.Infrastructure;

/// <summary>Where the built services live, for tests that run them as real processes.</summary>
internal static class RepoLayout
{
    public static string Root { get; } = FindRoot();

    /// <summary>Debug or Release: the services are taken from the same configuration as this test assembly.</summary>
    public static string Configuration { get; } =
        AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
            ? "Release"
            : "Debug";

    /// <summary>The built DLL of a project given by its folder relative to the root (e.g. <c>tools/LlamaSwap.TestUpstream</c>).</summary>
    public static string ServiceDll(string projectFolder)
    {
        var name = Path.GetFileName(projectFolder);
        return Path.Combine(Root, projectFolder, "bin", Configuration, "net10.0", name + ".dll");
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "LlamaSwap.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("LlamaSwap.sln not found above " + AppContext.BaseDirectory);
    }
}
