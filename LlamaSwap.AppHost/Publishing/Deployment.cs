using LlamaSwap.AppHost.Cli;
using LlamaSwap.AppHost.Model;

namespace LlamaSwap.AppHost.Publishing;

/// <summary>Fixed facts of a container deployment, shared by the manifest and the compose file.</summary>
internal static class Deployment
{
    /// <summary>Services run with host networking (as model servers usually do), on the same ports as a local run.</summary>
    public const int SupervisorPort = 8081;

    public const int RedisPort = 6379;

    public const string RedisImage = "docker.io/library/redis:7.4";

    public const string ConfigMountPath = "/config/config.yaml";

    public const string RunDirectory = "/tmp/llamaswap";

    /// <summary>Redis is a cache of shared model state here: persistence would only outlive the processes it describes.</summary>
    public static readonly string[] RedisArgs = ["--save", "", "--appendonly", "no"];

    /// <summary>The app model as published: container paths, fixed ports.</summary>
    public static StackSettings Settings { get; } = new()
    {
        ConfigPath = ConfigMountPath,
        RunDirectory = RunDirectory,
        SupervisorPort = SupervisorPort,
        GatewayPort = RunOptions.DefaultGatewayPort,
        ProxyPort = RunOptions.DefaultProxyPort,
        RedisPort = RedisPort,
    };

    /// <summary>
    /// A path as a generated file should spell it: relative to the file's directory while both stay
    /// inside the repository (so the output can move with a clone), absolute otherwise.
    /// </summary>
    public static string Relative(string fromDirectory, string path, string repoRoot)
    {
        var inRepo = IsUnder(fromDirectory, repoRoot) && IsUnder(path, repoRoot);
        return (inRepo ? Path.GetRelativePath(fromDirectory, path) : Path.GetFullPath(path)).Replace('\\', '/');
    }

    private static bool IsUnder(string path, string directory)
    {
        var relative = Path.GetRelativePath(directory, path);
        return relative != ".." && !relative.StartsWith("../", StringComparison.Ordinal) && !Path.IsPathRooted(relative);
    }
}
