using System.Diagnostics;
using LlamaSwap.AppHost.Model;
using LlamaSwap.Core.Hosting;
using Microsoft.Extensions.Logging;

namespace LlamaSwap.AppHost.Redis;

/// <summary>
/// The fallback Redis on a machine with only the .NET SDK: the garnet-server local tool pinned in
/// <c>.config/dotnet-tools.json</c>, restored before DCP runs it (a restore inside the resource would
/// count against its start-up and hide its errors).
/// </summary>
internal static partial class GarnetTool
{
    /// <summary>Restores the tool when this run will use it; false (and the reason logged) when that failed.</summary>
    public static async Task<bool> EnsureRestoredAsync(StackSettings settings, string repoRoot, ILogger logger, string? path = null)
    {
        if (settings.ExternalRedis is not null || ExecutableLocator.FindOnPath("redis-server", path) is not null)
        {
            return true;
        }

        Log.UsingGarnet(logger);
        var startInfo = new ProcessStartInfo("dotnet", ["tool", "restore"])
        {
            WorkingDirectory = repoRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(startInfo) ?? throw new InvalidOperationException("could not start 'dotnet tool restore'");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode == 0)
        {
            return true;
        }

        Log.RestoreFailed(logger, process.ExitCode, $"{await stdout}{await stderr}".TrimEnd());
        return false;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 40, Level = LogLevel.Information, Message = "redis-server is not on PATH: using the garnet-server dotnet tool")]
        public static partial void UsingGarnet(ILogger logger);

        [LoggerMessage(EventId = 41, Level = LogLevel.Error, Message = "'dotnet tool restore' failed (exit {ExitCode}); install redis-server or pass --redis.\n{Output}")]
        public static partial void RestoreFailed(ILogger logger, int exitCode, string output);
    }
}
