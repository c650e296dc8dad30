using System.Diagnostics;
using LlamaSwap.Cli.Start;
using LlamaSwap.Cli.State;
using LlamaSwap.Core.Processes;
using LlamaSwap.Tests.Infrastructure;

namespace LlamaSwap.Tests.Cli.Start;

/// <summary>
/// What a launcher killed outright left (where no death signal reaches Redis: macOS) is stopped by the
/// next start, and only the very processes it recorded, never one that got a recorded pid later.
/// </summary>
public sealed class LeftoverReapingTests : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("llamaswap-reap-").FullName;

    public void Dispose() => Directory.Delete(_work, recursive: true);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task RecordedProcess_IsStopped_OnlyWhenItIsTheSameProcess(bool sameStartTime)
    {
        using var leftover = Process.Start(new ProcessStartInfo("sleep", "60") { UseShellExecute = false })!;
        try
        {
            var stat = ProcFs.ReadStat(leftover.Id)!.Value;
            var state = new StateDirectory(_work);
            state.WriteRun(new RunRecord
            {
                LauncherPid = DeadPid(),
                FrontDoor = "http://localhost:3000",
                Gateway = "http://127.0.0.1:8080",
                Config = "x.yaml",
                StartedAt = DateTimeOffset.UtcNow,
                ReadyAt = DateTimeOffset.UtcNow,
                Banner = "",
                Processes = new() { ["redis"] = leftover.Id },
                StartTimes = new() { ["redis"] = sameStartTime ? stat.StartTime : stat.StartTime + 1 },
            });

            var said = new StringWriter();
            StartCommand.ReapLeftovers(state, said);

            if (sameStartTime)
            {
                await Eventually.TrueAsync(() => leftover.HasExited, "the leftover got SIGTERM");
                Assert.Contains($"stopping redis (pid {leftover.Id}) left by an earlier run", said.ToString(), StringComparison.Ordinal);
            }
            else
            {
                Assert.False(leftover.HasExited, "a process that only shares the pid is left alone");
                Assert.Equal("", said.ToString());
            }

            Assert.Null(state.ReadRun());
        }
        finally
        {
            if (!leftover.HasExited)
            {
                leftover.Kill();
            }
        }
    }

    private static int DeadPid()
    {
        using var gone = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!;
        gone.WaitForExit();
        return gone.Id;
    }
}
