using System.Diagnostics;
using LlamaSwap.AppHost.Processes;
using LlamaSwap.Core.Hosting;

namespace LlamaSwap.AppHost.Redis;

/// <summary>
/// Picks the Redis of a local run: the one given, else <c>redis-server</c> from PATH, else the
/// garnet-server local dotnet tool (pinned in .config/dotnet-tools.json), so a bare machine with
/// only the .NET SDK still runs.
/// </summary>
internal static class RedisProvisioner
{
    public static RedisPlan Plan(string? connectionString, int port, string repoRoot, string? path = null)
    {
        connectionString ??= Environment.GetEnvironmentVariable(WiringEnvironment.RedisConnection);
        if (!string.IsNullOrWhiteSpace(connectionString))
        {
            return new ExternalRedis(connectionString);
        }

        var portText = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (ExecutableLocator.FindOnPath("redis-server", path) is { } redisServer)
        {
            // Not daemonized and without persistence: it lives and dies with this AppHost.
            return new ManagedRedis(
                new LaunchSpec { FileName = redisServer, Arguments = ["--port", portText, "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"] },
                port,
                "redis-server");
        }

        return new ManagedRedis(
            new LaunchSpec
            {
                FileName = "dotnet",
                Arguments = ["tool", "run", "garnet-server", "--port", portText, "--bind", "127.0.0.1", "--lua"],
                WorkingDirectory = repoRoot,
            },
            port,
            "garnet-server");
    }

    /// <summary>Restores the garnet-server tool when the plan needs it; throws with dotnet's output on failure.</summary>
    public static async Task PrepareAsync(RedisPlan plan, CancellationToken cancellationToken)
    {
        if (plan is not ManagedRedis { Server: "garnet-server" } garnet)
        {
            return;
        }

        var startInfo = new ProcessStartInfo("dotnet", ["tool", "restore"])
        {
            WorkingDirectory = garnet.Launch.WorkingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(startInfo) ?? throw new InvalidOperationException("could not start 'dotnet tool restore'");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"'dotnet tool restore' failed (exit {process.ExitCode}); install redis-server or pass --redis.\n{await stdout}{await stderr}".TrimEnd());
        }
    }
}
