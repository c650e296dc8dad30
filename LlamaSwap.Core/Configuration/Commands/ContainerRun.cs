namespace LlamaSwap.Core.Configuration.Commands;

/// <summary>
/// Recognises a <c>cmd</c> that runs a container through a client (<c>docker run</c>,
/// <c>podman run</c>): the process the supervisor starts and signals is the client, while the
/// container runs under the engine and can outlive it.
/// </summary>
internal static class ContainerRun
{
    private static readonly string[] Clients = ["docker", "podman"];

    /// <summary>The client's name (<c>docker</c>, <c>podman</c>) when <paramref name="argv"/> runs a container; otherwise null.</summary>
    public static string? ClientOf(IReadOnlyList<string> argv)
    {
        if (argv.Count < 2)
        {
            return null;
        }

        // "/usr/bin/docker" as well as "docker"; "docker container run" is the long form of "docker run".
        var client = Path.GetFileName(argv[0]);
        var runs = argv[1] == "run" || (argv.Count > 2 && argv[1] == "container" && argv[2] == "run");
        return runs && Clients.Contains(client, StringComparer.Ordinal) ? client : null;
    }
}
