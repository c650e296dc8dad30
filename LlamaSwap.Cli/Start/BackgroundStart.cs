using System.Diagnostics;
using LlamaSwap.Cli.State;
using LlamaSwap.Core.Hosting;
using LlamaSwap.Core.Processes;

namespace LlamaSwap.Cli.Start;

/// <summary>
/// <c>--bg</c>: the same command again, without <c>--bg</c>, in a session of its own (so closing the
/// terminal does not stop it), its output appended to the log file. Returns once it is ready
/// (prints its banner) or has failed (prints the end of its log).
/// </summary>
internal static class BackgroundStart
{
    /// <summary>Set for the launcher a <c>--bg</c> start runs: it is in the background, though it has no <c>--bg</c>.</summary>
    public const string Marker = "LLAMASWAP_BACKGROUND";

    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(150);

    public static async Task<int> RunAsync(StartOptions options, IReadOnlyList<string> args, StateDirectory state, TextWriter stdout, TextWriter stderr)
    {
        Directory.CreateDirectory(state.Path);
        var own = args.Where(a => a is not ("-bg" or "--bg" or "-bg=true" or "--bg=true")).ToList();
        if (!own.Any(a => a.TrimStart('-').StartsWith("state-dir", StringComparison.Ordinal)))
        {
            own.AddRange(["--state-dir", state.Path]);
        }

        var (program, prefix) = Self();
        var start = new ProcessStartInfo("/bin/sh") { UseShellExecute = false, WorkingDirectory = Environment.CurrentDirectory };

        // setsid: a session of its own, away from the terminal's hang-up; stdin from /dev/null.
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("exec \"$@\" >>\"$LLAMASWAP_BG_LOG\" 2>&1 </dev/null");
        start.ArgumentList.Add("llamaswap-bg");
        if (ExecutableLocator.FindOnPath("setsid") is { } setsid)
        {
            start.ArgumentList.Add(setsid);
        }

        start.ArgumentList.Add(program);
        foreach (var argument in prefix.Concat(own))
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["LLAMASWAP_BG_LOG"] = state.LogFile;
        start.Environment[Marker] = "1";
        var requestedAt = DateTimeOffset.UtcNow;
        File.AppendAllText(state.LogFile, $"{Environment.NewLine}=== llamaswap started in the background at {requestedAt:O}{Environment.NewLine}");
        var logStart = new FileInfo(state.LogFile).Length;

        using var child = Process.Start(start) ?? throw new InvalidOperationException("could not start the background launcher");
        var deadline = DateTime.UtcNow + ReadyTimeout;
        while (DateTime.UtcNow < deadline)
        {
            // setsid may fork (then the pid differs): the record of a launcher started since is ours.
            if (state.ReadRun() is { } run && run.ReadyAt >= requestedAt && ProcFs.IsAlive(run.LauncherPid))
            {
                stdout.Write(run.Banner);
                stdout.WriteLine($"Started in the background: pid {run.LauncherPid}, log {state.LogFile}");
                return ExitCodes.Success;
            }

            if (child.HasExited && child.ExitCode != 0)
            {
                stderr.WriteLine($"llamaswap: the background start failed (exit code {child.ExitCode}); the end of {state.LogFile}:");
                stderr.Write(Tail(state.LogFile, logStart, lines: 30));
                return ExitCodes.Failure;
            }

            await Task.Delay(50);
        }

        stderr.WriteLine($"llamaswap: not ready after {ReadyTimeout.TotalSeconds:0} s; it keeps starting (pid {child.Id}); see {state.LogFile}");
        return ExitCodes.Failure;
    }

    /// <summary>How to run this same program again: its native launcher, or <c>dotnet llamaswap.dll</c>.</summary>
    internal static (string Program, string[] Prefix) Self()
    {
        var process = Environment.ProcessPath ?? "dotnet";
        return Path.GetFileNameWithoutExtension(process) == "dotnet"
            ? (process, [typeof(BackgroundStart).Assembly.Location])
            : (process, []);
    }

    private static string Tail(string path, long from, int lines)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        stream.Seek(Math.Min(from, stream.Length), SeekOrigin.Begin);
        using var reader = new StreamReader(stream);
        var all = reader.ReadToEnd().Split('\n');
        return string.Join('\n', all.TakeLast(lines)) + Environment.NewLine;
    }
}
