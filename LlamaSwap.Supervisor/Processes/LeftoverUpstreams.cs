using LlamaSwap.Core.Configuration;
using LlamaSwap.Core.Processes;

namespace LlamaSwap.Supervisor.Processes;

/// <summary>
/// What a starting supervisor does with the upstream groups a crashed predecessor recorded: a group
/// still serving exactly what the config asks of its model is adopted (its clients' streams go on,
/// nothing reloads); every other one is killed. Each decision is logged with its reason.
/// </summary>
/// <remarks>
/// Adopted when all hold: the recorded leader is still the same process (pid and start time), its
/// owner is dead (<see cref="UpstreamPidRecords.ReadLeftovers"/>), the model is configured, enabled
/// and yields the same <see cref="ProcessSpec.Fingerprint"/> (command, environment, address; so its
/// port is the one the config gives that model and no other), no other leftover of the model was
/// adopted, and it answers its health check within <see cref="HealthBound"/>.
/// </remarks>
internal sealed partial class LeftoverUpstreams(UpstreamProcessFactory factory, ILogger<LeftoverUpstreams> logger)
{
    /// <summary>How long a leftover has to answer its health check; a loading or hung one is killed instead.</summary>
    public static readonly TimeSpan HealthBound = TimeSpan.FromSeconds(3);

    /// <summary>How long a killed group may take to disappear, so a model started next finds its port free.</summary>
    private static readonly TimeSpan KillWait = TimeSpan.FromSeconds(2);

    /// <summary>Decides every recorded leftover: returns the adopted handles (at most one per model), kills the rest.</summary>
    public async Task<IReadOnlyList<UpstreamProcess>> AdoptOrKillAsync(LlamaSwapConfig config, CancellationToken cancellationToken)
    {
        var runDirectory = factory.RunDirectory;
        var candidates = new List<(UpstreamPidRecord Record, UpstreamProcess Process)>();
        var killed = new List<UpstreamPidRecord>();
        foreach (var record in UpstreamPidRecords.ReadLeftovers(runDirectory, logger))
        {
            if (!record.IsLeaderAlive())
            {
                // Nothing to adopt; group members it left behind (if any) go with the record.
                Log.Exited(logger, record.ModelId, record.Pid);
                UpstreamPidRecords.Kill(runDirectory, record);
                continue;
            }

            if (RefusalOf(record, config) is { } reason)
            {
                Log.Killing(logger, record.ModelId, record.Pid, reason);
                UpstreamPidRecords.Kill(runDirectory, record);
                killed.Add(record);
                continue;
            }

            candidates.Add((record, factory.Adopt(ProcessSpec.For(config.Models[record.ModelId]), record)));
        }

        var healthy = await Task.WhenAll(candidates.Select(c => c.Process.AnswersHealthCheckAsync(HealthBound, cancellationToken)));
        var adopted = new List<UpstreamProcess>();
        for (var i = 0; i < candidates.Count; i++)
        {
            var (record, process) = candidates[i];
            var reason = !healthy[i] ? $"it did not answer its health check within {HealthBound.TotalSeconds:0}s"
                : adopted.Any(p => p.Spec.ModelId == record.ModelId) ? "another leftover of the model was adopted"
                : null;
            if (reason is null)
            {
                // Ours now: a third supervisor must not take it for a leftover while we run.
                UpstreamPidRecords.Claim(runDirectory, record);
                Log.Adopted(logger, record.ModelId, record.Pid, record.SupervisorPid);
                adopted.Add(process);
                continue;
            }

            Log.Killing(logger, record.ModelId, record.Pid, reason);
            UpstreamPidRecords.Kill(runDirectory, record);
            await process.Exited.WaitAsync(KillWait, cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
        }

        await WaitGoneAsync(killed, cancellationToken);
        return adopted;
    }

    /// <summary>Why <paramref name="record"/> must not be adopted; null when it may be (its health still to be checked).</summary>
    private static string? RefusalOf(UpstreamPidRecord record, LlamaSwapConfig config)
    {
        if (!config.Models.TryGetValue(record.ModelId, out var model))
        {
            return "the model is no longer configured";
        }

        if (model.DisabledReason is { } disabled)
        {
            return $"the model is disabled ({disabled})";
        }

        if (record.Fingerprint is null)
        {
            return "its record does not say what it was started with";
        }

        return record.Fingerprint != ProcessSpec.For(model).Fingerprint()
            ? "the model's command, environment or address changed since it was started"
            : null;
    }

    private static async Task WaitGoneAsync(IReadOnlyList<UpstreamPidRecord> killed, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(KillWait);
        try
        {
            while (killed.Any(record => record.IsLeaderAlive()))
            {
                await Task.Delay(UpstreamProcess.AdoptedExitPollInterval, deadline.Token);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // SIGKILL was sent; a process stuck in the kernel is not worth holding the start-up for.
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1040, Level = LogLevel.Information, Message = "{ModelId}: adopted upstream pid {Pid} left running by supervisor pid {SupervisorPid}")]
        public static partial void Adopted(ILogger logger, string modelId, int pid, int supervisorPid);

        [LoggerMessage(EventId = 1041, Level = LogLevel.Warning, Message = "{ModelId}: killing leftover upstream pid {Pid}: {Reason}")]
        public static partial void Killing(ILogger logger, string modelId, int pid, string reason);

        [LoggerMessage(EventId = 1042, Level = LogLevel.Information, Message = "{ModelId}: leftover upstream pid {Pid} has exited; dropping its record")]
        public static partial void Exited(ILogger logger, string modelId, int pid);
    }
}
