using LlamaSwap.Core.Configuration;
using LlamaSwap.Core.Contracts;
using LlamaSwap.Supervisor.Processes;

using System.Diagnostics;

namespace LlamaSwap.Supervisor.Scheduling;

/// <summary>One model's mutable lifecycle state. Only the scheduler loop reads or writes it.</summary>
internal sealed class ModelRuntime(ModelConfig config, GroupConfig group)
{
    /// <summary>Replaced on reload; the process settings of a running model never change under it (it is restarted).</summary>
    public ModelConfig Config { get; set; } = config;

    public GroupConfig Group { get; set; } = group;

    /// <summary>Removed from the config by a reload: refuses requests and is forgotten once stopped.</summary>
    public bool Removed { get; set; }

    public string Id => Config.Id;

    public string State { get; set; } = ModelStates.Stopped;

    public DateTimeOffset Since { get; set; }

    public IUpstreamProcess? Process { get; set; }

    public CancellationTokenSource? StartCancellation { get; set; }

    /// <summary>Open leases (requests being served).</summary>
    public int InFlight { get; set; }

    /// <summary>Admitted requests: queued, waiting on a swap, or being served (the concurrency limit counts these).</summary>
    public int Reserved { get; set; }

    /// <summary>Timestamp of becoming ready, for the minimum loaded time.</summary>
    public long ReadyAt { get; set; }

    /// <summary>Timestamp of the last release (or of becoming ready), for the idle TTL.</summary>
    public long LastUsed { get; set; }

    public bool IsRunning => State != ModelStates.Stopped;

    /// <summary>The latest load estimate while starting (cleared on every state change).</summary>
    public LoadProgress? LoadProgress { get; set; }

    /// <summary>The <c>model load</c> span while the process starts (null when not traced).</summary>
    public Activity? LoadSpan { get; set; }
}
