using System.Runtime.InteropServices;
using LlamaSwap.Cli.State;
using LlamaSwap.Core.Configuration;
using LlamaSwap.Core.Configuration.Reporting;
using LlamaSwap.Core.Hosting;
using LlamaSwap.Core.Processes;
using Microsoft.Extensions.Logging.Abstractions;

namespace LlamaSwap.Cli.Start;

/// <summary><c>llamaswap [start]</c>: the whole stack in the foreground until Ctrl+C/SIGTERM; SIGHUP reloads the config.</summary>
internal static class StartCommand
{
    public static async Task<int> RunAsync(StartOptions options, IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr)
    {
        var state = new StateDirectory(options.StateDirectory);
        if (RunningLauncher(state) is { } running)
        {
            stderr.WriteLine($"llamaswap: already running (pid {running.LauncherPid}, {running.FrontDoor}); `llamaswap stop` first, or give another --state-dir");
            return ExitCodes.Failure;
        }

        // Checked once, here: left to the services, each of the three would refuse it and list it.
        if ((options.ConfigPath is not null || options.ConfigDir is not null)
            && StartupConfig.Load(new ConfigLocation(options.ConfigPath, options.ConfigDir), ConfigDiagnosticsRole.Quiet, stderr) is null)
        {
            return ExitCodes.Failure;
        }

        if (options.Background)
        {
            return await BackgroundStart.RunAsync(options, args, state, stdout, stderr);
        }

        ReapLeftovers(state, stderr);
        var runDirectory = StaleRunSweeper.RunDirectoryOf(Environment.ProcessId);
        Directory.CreateDirectory(runDirectory);
        var output = new PrefixedOutput(stdout, stderr);
        try
        {
            StaleRunSweeper.Sweep(NullLogger.Instance);
            var plan = StackPlan.Create(options, ReleaseLayout.Locate(), runDirectory, Environment.CurrentDirectory, StackPlan.FreeLoopbackPort);
            return await RunAsync(plan, state, output);
        }
        finally
        {
            TryDelete(runDirectory);
        }
    }

    private static async Task<int> RunAsync(StackPlan plan, StateDirectory state, PrefixedOutput output)
    {
        using var stopping = new CancellationTokenSource();
        using var runner = new StackRunner(plan, output, TimeProvider.System);
        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            stopping.Cancel();
        }

        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        using var sighup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, context =>
        {
            context.Cancel = true;
            runner.SignalServices(PosixSignals.SigHup);
        });

        // From the launcher process's own start: what a user waits, runtime start-up included.
        DateTimeOffset startedAt;
        using (var self = System.Diagnostics.Process.GetCurrentProcess())
        {
            startedAt = new DateTimeOffset(self.StartTime.ToUniversalTime());
        }

        bool started;
        try
        {
            started = await runner.StartAsync(stopping.Token);
        }
        catch (OperationCanceledException)
        {
            started = false;
        }

        if (!started)
        {
            await runner.StopAsync();
            return stopping.IsCancellationRequested ? ExitCodes.Success : ExitCodes.Failure;
        }

        var banner = await RenderBannerAsync(plan, stopping.Token);
        var readyAt = DateTimeOffset.UtcNow;
        void Record() => state.WriteRun(new RunRecord
        {
            LauncherPid = Environment.ProcessId,
            FrontDoor = plan.FrontDoor,
            Gateway = plan.GatewayUrl,
            Config = StartBanner.DescribeConfig(plan.ConfigPath, plan.Options.ConfigDir),
            TlsCertFile = plan.Options.TlsCertFile,
            StartedAt = startedAt,
            ReadyAt = readyAt,
            Banner = banner,
            Processes = new Dictionary<string, int>(runner.Pids),
            StartTimes = runner.Pids
                .Select(p => (p.Key, Stat: ProcFs.ReadStat(p.Value)))
                .Where(p => p.Stat is not null)
                .ToDictionary(p => p.Key, p => p.Stat!.Value.StartTime),
        });
        Record();
        runner.Restarted += Record;
        File.WriteAllText(state.PidFile, Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture) + "\n");
        output.Say(banner);

        await runner.SuperviseAsync(stopping.Token);
        output.Say("llamaswap: stopping");
        await runner.StopAsync();
        state.Clear();
        output.Say("llamaswap: stopped");
        return ExitCodes.Success;
    }

    private static async Task<string> RenderBannerAsync(StackPlan plan, CancellationToken cancellationToken)
    {
        bool needsKey;
        try
        {
            needsKey = await FrontDoorProbe.NeedsKeyAsync(plan.FrontDoor, plan.Options.TlsCertFile, cancellationToken);
        }
        catch (HttpRequestException)
        {
            needsKey = false;
        }

        var options = plan.Options;
        var background = options.Background || Environment.GetEnvironmentVariable(BackgroundStart.Marker) == "1";
        return new StartBanner
        {
            FrontDoor = plan.FrontDoor,
            Gateway = plan.GatewayUrl,
            Supervisor = plan.SupervisorUrl,
            Redis = plan.Redis is null ? $"{plan.RedisConnection} (external)" : plan.RedisConnection,
            ConfigSource = StartBanner.DescribeConfig(plan.ConfigPath, options.ConfigDir) + (options.WatchConfig ? " (reloaded when it changes)" : ""),
            IsDemo = plan.IsDemo,
            NeedsKey = needsKey,
            LoopbackOnly = options.Listen.IsLoopback,
            TlsCertFile = options.TlsCertFile,
            ExampleModel = plan.IsDemo ? "demo-small" : StartBanner.FirstModel(plan.ConfigPath, options.ConfigDir),
            Extra = background ? [("logs", new StateDirectory(options.StateDirectory).LogFile)] : [],
        }.Render(background ? "Stop it with: llamaswap stop" : "Press Ctrl+C to stop.");
    }

    /// <summary>The launcher recorded in <paramref name="state"/>, if it still runs.</summary>
    internal static RunRecord? RunningLauncher(StateDirectory state)
        => state.ReadRun() is { } run && ProcFs.IsAlive(run.LauncherPid) ? run : null;

    /// <summary>
    /// What a launcher killed outright left behind: its services stop themselves when it goes, and on
    /// Linux its Redis too; elsewhere Redis stays, so it goes here.
    /// </summary>
    internal static void ReapLeftovers(StateDirectory state, TextWriter stderr)
    {
        if (state.ReadRun() is not { } run)
        {
            return;
        }

        foreach (var (name, pid) in run.Processes)
        {
            // The very process recorded, not a later one that was given the same pid.
            if (ProcFs.ReadStat(pid) is { } stat && run.StartTimes.TryGetValue(name, out var started) && stat.StartTime == started)
            {
                stderr.WriteLine($"llamaswap: stopping {name} (pid {pid}) left by an earlier run that did not stop cleanly");
                PosixSignals.SignalProcess(pid, PosixSignals.SigTerm);
            }
        }

        state.Clear();
    }

    private static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
