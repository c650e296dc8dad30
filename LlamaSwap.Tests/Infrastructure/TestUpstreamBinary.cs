using System.Globalization;

namespace LlamaSwap.Tests.Infrastructure;

/// <summary>Locates the test upstream (tools/LlamaSwap.TestUpstream) built alongside this test assembly.</summary>
public static class TestUpstreamBinary
{
    private static readonly Lazy<string> Root = new(FindRepositoryRoot);

    /// <summary>The directory holding LlamaSwap.sln.</summary>
    public static string RepositoryRoot => Root.Value;

    /// <summary>Debug or Release: whichever this test assembly was built as (the project reference builds both alike).</summary>
    public static string Configuration =>
        AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
            ? "Release"
            : "Debug";

    public static string DllPath =>
        Path.Combine(RepositoryRoot, "tools", "LlamaSwap.TestUpstream", "bin", Configuration, "net10.0", "LlamaSwap.TestUpstream.dll");

    /// <summary>The dotnet host running the tests (the CLI exports it), else <c>dotnet</c> from PATH.</summary>
    public static string DotnetHost =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    /// <summary>argv that runs the test upstream on <paramref name="port"/>: <c>[dotnet, dll, --port, N, ..extraArgs]</c>.</summary>
    public static string[] Command(int port, params string[] extraArgs) =>
        [DotnetHost, DllPath, "--port", port.ToString(CultureInfo.InvariantCulture), .. extraArgs];

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "LlamaSwap.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No LlamaSwap.sln above {AppContext.BaseDirectory}");
    }
}
