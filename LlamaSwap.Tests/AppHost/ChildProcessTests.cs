using LlamaSwap.AppHost.Processes;

namespace LlamaSwap.Tests.AppHost;

public sealed class ChildProcessTests
{
    private readonly StringWriter _console = new();

    [Fact]
    public async Task StopAsync_KillsTheWholeProcessGroupIncludingGrandchildren()
    {
        // The shell prints its background child's pid, then waits: a grandchild the AppHost never sees directly.
        var child = Start("sleep 300 & echo $!; wait");
        var grandchild = await FirstOutputLineAsync(child);

        var graceful = await child.StopAsync(TimeSpan.FromSeconds(10));

        Assert.True(graceful);
        Assert.True(child.Exited.IsCompleted);
        await AssertGoneAsync(int.Parse(grandchild, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task StopAsync_ChildIgnoringSigterm_IsKilledAfterGracePeriod()
    {
        var child = Start("trap '' TERM; echo ready; while true; do sleep 1; done");
        await FirstOutputLineAsync(child);

        var graceful = await child.StopAsync(TimeSpan.FromMilliseconds(300));

        Assert.False(graceful);
        Assert.True(child.Exited.IsCompleted);
        await AssertGoneAsync(child.Pid);
    }

    [Fact]
    public async Task Start_RunsInItsOwnProcessGroupAndPrefixesOutput()
    {
        var child = Start("echo hello; sleep 300");
        await FirstOutputLineAsync(child);

        try
        {
            var stat = await File.ReadAllTextAsync($"/proc/{child.Pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            Assert.Equal(child.Pid.ToString(System.Globalization.CultureInfo.InvariantCulture), fields[2]); // pgrp
            Assert.Contains("[test] hello\n", _console.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            await child.DisposeAsync();
        }
    }

    private ChildProcess Start(string script) =>
        ChildProcess.Start("test", new LaunchSpec { FileName = "/bin/sh", Arguments = ["-c", script] }, new OutputMultiplexer(_console, useColor: false));

    private static async Task<string> FirstOutputLineAsync(ChildProcess child)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (child.RecentLines().Count == 0)
        {
            await Task.Delay(20, deadline.Token);
        }

        return child.RecentLines()[0];
    }

    private static async Task AssertGoneAsync(int pid)
    {
        // A killed process may linger as a zombie until its parent (init, after re-parenting) reaps it.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (IsAlive(pid))
        {
            Assert.True(DateTime.UtcNow < deadline, $"process {pid} is still running");
            await Task.Delay(20);
        }
    }

    private static bool IsAlive(int pid)
    {
        try
        {
            return !File.ReadAllText($"/proc/{pid}/stat").Contains(") Z ", StringComparison.Ordinal);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException or IOException)
        {
            return false;
        }
    }
}
