namespace LlamaSwap.AppHost.Publishing;

/// <summary>Fixed facts of a container deployment, shared by the manifest and the compose file.</summary>
internal static class Deployment
{
    /// <summary>Every service listens on this port inside its own container (Aspire's default for projects).</summary>
    public const int ContainerHttpPort = 8080;

    public const int RedisPort = 6379;

    public const string RedisImage = "docker.io/library/redis:7.4";

    public const string ConfigMountPath = "/config/config.yaml";

    public const string RunDirectory = "/tmp/llamaswap";

    /// <summary>Redis is a cache of shared model state here: persistence would only outlive the processes it describes.</summary>
    public static readonly string[] RedisArgs = ["--save", "", "--appendonly", "no"];

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
