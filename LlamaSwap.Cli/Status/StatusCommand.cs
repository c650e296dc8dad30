using LlamaSwap.Cli.State;
using LlamaSwap.Core.Hosting;
using LlamaSwap.Core.Processes;

namespace LlamaSwap.Cli.Status;

/// <summary><c>llamaswap status</c>: whether it runs, where, what it started and how much memory that holds. Exit 0 running, 3 not.</summary>
internal static class StatusCommand
{
    public static async Task<int> RunAsync(StateDirectory state, TextWriter stdout)
    {
        if (state.ReadRun() is not { } run || !ProcFs.IsAlive(run.LauncherPid))
        {
            stdout.WriteLine("llamaswap: not running");
            return ExitCodes.NotRunning;
        }

        string health;
        try
        {
            using var client = FrontDoorProbe.CreateClient(run.TlsCertFile, TimeSpan.FromSeconds(5));
            using var response = await client.GetAsync(run.FrontDoor + "/health");
            health = $"{(int)response.StatusCode} {response.ReasonPhrase}";
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or System.Security.Authentication.AuthenticationException)
        {
            health = "no answer: " + ex.Message;
        }

        var uptime = DateTimeOffset.UtcNow - run.StartedAt;
        stdout.WriteLine($"llamaswap: running (pid {run.LauncherPid}, up {(int)uptime.TotalHours}h{uptime.Minutes:00}m, ready {(run.ReadyAt - run.StartedAt).TotalSeconds:0.0} s after start)");
        stdout.WriteLine($"  front door: {run.FrontDoor} (health: {health})");
        stdout.WriteLine($"  gateway:    {run.Gateway}");
        stdout.WriteLine($"  config:     {run.Config}");
        var pids = new List<int> { run.LauncherPid };
        foreach (var (name, pid) in run.Processes.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var alive = ProcFs.IsAlive(pid);
            stdout.WriteLine($"  {name,-10} pid {pid,-7} {(alive ? StackMemory.MiB(StackMemory.Rss(pid)) + " RSS" : "NOT RUNNING")}");
            if (alive)
            {
                pids.Add(pid);
            }
        }

        stdout.WriteLine($"  memory (launcher, services, redis; models not counted): {StackMemory.Measure(pids)}");
        return ExitCodes.Success;
    }
}
