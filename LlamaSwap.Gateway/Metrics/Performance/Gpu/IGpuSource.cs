namespace LlamaSwap.Gateway.Metrics.Performance.Gpu;

/// <summary>Where GPU statistics come from on this machine: a vendor tool, sysfs, or nothing (chosen once at start-up by <see cref="GpuSourceDetector"/>).</summary>
internal interface IGpuSource
{
    /// <summary>What the logs and <c>/api/hardware</c> call it: <c>nvidia-smi</c>, <c>rocm-smi</c>, <c>sysfs</c>, <c>apple</c>, <c>none</c>.</summary>
    string Name { get; }

    /// <summary>One reading of every GPU. Throws <see cref="GpuReadException"/> when the source fails, hangs or prints what it cannot parse.</summary>
    Task<IReadOnlyList<GpuReading>> ReadAsync(DateTime timestamp, CancellationToken cancellationToken);
}

/// <summary>One GPU's statistics, plus what only <c>/api/hardware</c> shows.</summary>
internal sealed record GpuReading(GpuStat Stat, string Vendor, string MemoryKind, string? DriverVersion = null, double? PowerLimitWatts = null);

internal sealed class GpuReadException(string message) : Exception(message);

/// <summary>No GPU found: the GPU section is simply empty.</summary>
internal sealed class NoGpuSource : IGpuSource
{
    public string Name => "none";

    public Task<IReadOnlyList<GpuReading>> ReadAsync(DateTime timestamp, CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<GpuReading>>([]);
}
