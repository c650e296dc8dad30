namespace LlamaSwap.Cli.Start;

/// <summary>
/// Where the services are. A release (<c>./llamaswap</c> publishes one to <c>artifacts/release/</c>)
/// has a folder per program beside the CLI's; a build (tests, <c>dotnet run</c>) has each project's
/// <c>bin/&lt;configuration&gt;/net10.0</c> in the repository.
/// </summary>
internal sealed record ReleaseLayout(string Supervisor, string Gateway, string AuthProxy, string TestUpstream)
{
    public const string SupervisorFolder = "supervisor";
    public const string GatewayFolder = "gateway";
    public const string AuthProxyFolder = "auth-proxy";
    public const string TestUpstreamFolder = "test-upstream";

    public static ReleaseLayout Locate(string? cliDirectory = null)
    {
        var cli = Path.TrimEndingDirectorySeparator(cliDirectory ?? AppContext.BaseDirectory);
        var release = Path.GetDirectoryName(cli)!;
        var published = new ReleaseLayout(
            Path.Combine(release, SupervisorFolder, "LlamaSwap.Supervisor.dll"),
            Path.Combine(release, GatewayFolder, "LlamaSwap.Gateway.dll"),
            Path.Combine(release, AuthProxyFolder, "LlamaSwap.AuthProxy.dll"),
            Path.Combine(release, TestUpstreamFolder, "LlamaSwap.TestUpstream.dll"));
        if (File.Exists(published.Supervisor))
        {
            return published;
        }

        // <repo>/LlamaSwap.Cli/bin/<configuration>/<tfm>/
        var tfm = Path.GetFileName(cli);
        var configuration = Path.GetFileName(Path.GetDirectoryName(cli)!);
        var repo = Path.GetFullPath(Path.Combine(cli, "..", "..", "..", ".."));
        string Built(string project) => Path.Combine(repo, project, "bin", configuration, tfm, Path.GetFileName(project) + ".dll");
        var built = new ReleaseLayout(
            Built("LlamaSwap.Supervisor"),
            Built("LlamaSwap.Gateway"),
            Built("LlamaSwap.AuthProxy"),
            Built(Path.Combine("tools", "LlamaSwap.TestUpstream")));
        return File.Exists(built.Supervisor)
            ? built
            : throw new FileNotFoundException($"the LlamaSwap services are neither beside the CLI ({release}) nor built in a repository ({repo}): run ./llamaswap from a clone, which builds them");
    }

    public IEnumerable<string> Services => [Supervisor, Gateway, AuthProxy];
}
