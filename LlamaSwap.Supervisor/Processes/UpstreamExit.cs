using System.Globalization;

namespace LlamaSwap.Supervisor.Processes;

/// <summary>
/// How one run of an upstream ended: its exit code and the last lines it wrote (stdout and stderr
/// interleaved as they arrived, oldest first), so an error can say why without a trip to the logs.
/// </summary>
/// <param name="ExitCode">
/// As the .NET runtime reports it: the code the process passed to exit(2), or 128 + N when signal N
/// killed it; -1 when unknown (never spawned, or an adopted process only a former parent could reap).
/// </param>
internal sealed record UpstreamExit(int ExitCode, IReadOnlyList<string> LastOutput)
{
    /// <summary>Nothing was spawned, or nobody could learn how it ended.</summary>
    public static UpstreamExit Unknown { get; } = new(-1, []);

    // Linux numbering (the only platform the supervisor spawns on).
    private static readonly string[] SignalNames =
    [
        "", "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT", "SIGBUS", "SIGFPE", "SIGKILL", "SIGUSR1",
        "SIGSEGV", "SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM", "SIGSTKFLT", "SIGCHLD", "SIGCONT", "SIGSTOP", "SIGTSTP",
        "SIGTTIN", "SIGTTOU", "SIGURG", "SIGXCPU", "SIGXFSZ", "SIGVTALRM", "SIGPROF", "SIGWINCH", "SIGIO", "SIGPWR", "SIGSYS",
    ];

    /// <summary>
    /// The signal that killed the process, if any. The runtime reaps the child itself and folds a
    /// signal death into 128 + N (the shell's convention), so a process that calls <c>exit(137)</c>
    /// reads as SIGKILL too; for a <c>cmd</c> run through a shell that is exactly what the shell
    /// reports when its child was killed (the OOM killer's SIGKILL included).
    /// </summary>
    public int? Signal => ExitCode is > 128 and <= 128 + 64 ? ExitCode - 128 : null;

    /// <summary><c>exit code 1</c>, <c>killed by signal 9 (SIGKILL)</c> or <c>exit code unknown</c>.</summary>
    public string Describe()
    {
        if (Signal is { } signal)
        {
            var number = signal.ToString(CultureInfo.InvariantCulture);
            return signal < SignalNames.Length ? $"killed by signal {number} ({SignalNames[signal]})" : $"killed by signal {number}";
        }

        return ExitCode < 0 ? "exit code unknown" : $"exit code {ExitCode.ToString(CultureInfo.InvariantCulture)}";
    }

    /// <summary>
    /// <paramref name="message"/> followed by how the process ended and, when it wrote anything, its
    /// last lines: <c>upstream command exited prematurely (exit code 1); last output:\n...</c>.
    /// </summary>
    public string Explain(string message) => $"{message} ({Describe()}){LastOutputText}";

    /// <summary><c>; last output:</c> and the lines, each on its own line; empty when the process wrote nothing.</summary>
    public string LastOutputText => LastOutput.Count == 0 ? "" : "; last output:\n" + string.Join('\n', LastOutput);
}
