using System.Globalization;

namespace LlamaSwap.Tests.Infrastructure;

/// <summary>Locates the test upstream (tools/LlamaSwap.TestUpstream) built alongside this test assembly.</summary>
public static class TestUpstreamBinary
{
    /// <summary>The directory holding LlamaSwap.sln.</summary>
    public static string RepositoryRoot => RepoLayout.Root;

    public static string DllPath => RepoLayout.ServiceDll("tools/LlamaSwap.TestUpstream");

    /// <summary>The dotnet host running the tests (the CLI exports it), else <c>dotnet</c> from PATH.</summary>
    public static string DotnetHost =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    /// <summary>argv that runs the test upstream on <paramref name="port"/>: <c>[dotnet, dll, --port, N, ..extraArgs]</c>.</summary>
    public static string[] Command(int port, params string[] extraArgs) =>
        [DotnetHost, DllPath, "--port", port.ToString(CultureInfo.InvariantCulture), .. extraArgs];
}
