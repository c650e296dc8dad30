using LlamaSwap.Cli.State;
using LlamaSwap.Core.Processes;

namespace LlamaSwap.Cli.Stop;

/// <summary><c>llamaswap stop</c>: the seed's <c>stop.sh</c>. SIGTERM to the launcher, which stops everything in order; waits until it is gone.</summary>
internal static class StopCommand
{
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(90);

    public static async Task<int> RunAsync(StateDirectory state, TextWriter stdout, TextWriter stderr)
    {
        if (state.ReadRun() is not { } run || !ProcFs.IsAlive(run.LauncherPid))
        {
            stdout.WriteLine("llamaswap: not running");
            return ExitCodes.Success;
        }

        stdout.WriteLine($"llamaswap: stopping pid {run.LauncherPid} ({run.FrontDoor})");
        PosixSignals.SignalProcess(run.LauncherPid, PosixSignals.SigTerm);
        var deadline = DateTime.UtcNow + Grace;
        while (ProcFs.IsAlive(run.LauncherPid))
        {
            if (DateTime.UtcNow > deadline)
            {
                stderr.WriteLine($"llamaswap: pid {run.LauncherPid} did not stop within {Grace.TotalSeconds:0} s: killing it (its services stop when it is gone)");
                PosixSignals.SignalProcess(run.LauncherPid, PosixSignals.SigKill);
                break;
            }

            await Task.Delay(50);
        }

        stdout.WriteLine("llamaswap: stopped");
        return ExitCodes.Success;
    }
}
