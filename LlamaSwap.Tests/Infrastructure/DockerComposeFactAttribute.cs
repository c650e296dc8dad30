namespace LlamaSwap.Tests.Infrastructure;

/// <summary>A fact that runs Debian's <c>docker-compose</c> (1.29; test.sh installs it): skipped, with the reason, where it is missing.</summary>
internal sealed class DockerComposeFactAttribute : FactAttribute
{
    public DockerComposeFactAttribute()
    {
        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Any(directory => File.Exists(Path.Combine(directory, "docker-compose")));
        if (!onPath)
        {
            Skip = "docker-compose is not installed (test.sh installs Debian's docker-compose)";
        }
    }
}
