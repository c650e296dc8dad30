namespace LlamaSwap.Gateway.Metrics.Performance;

/// <summary>
/// Host settings of the GPU monitor (section <c>Performance</c> of the gateway's host configuration,
/// not of config.yaml): where to look for the vendor tools and sysfs, and how long a tool may take.
/// Defaults suit a real machine; tests point them at fake tools and a fake sysfs.
/// </summary>
internal sealed record PerformanceOptions
{
    public const string SectionName = "Performance";

    /// <summary>Directories searched for <c>nvidia-smi</c>/<c>rocm-smi</c>, <c>:</c>-separated; null means <c>PATH</c>.</summary>
    public string? ToolPath { get; init; }

    /// <summary>Root of sysfs, for AMD GPUs without <c>rocm-smi</c> (<c>{root}/class/drm/card*/device</c>).</summary>
    public string SysfsRoot { get; init; } = "/sys";

    /// <summary>
    /// How long one tool run may take before it is killed. A hung driver makes <c>nvidia-smi</c> hang;
    /// the round then has no GPU section and the next round tries again.
    /// </summary>
    public TimeSpan ToolTimeout { get; init; } = TimeSpan.FromSeconds(5);
}
