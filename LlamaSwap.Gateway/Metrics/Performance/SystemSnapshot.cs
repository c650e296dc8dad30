namespace LlamaSwap.Gateway.Metrics.Performance;

/// <summary>One sample of the machine's state, taken every <c>performance.every</c>.</summary>
internal sealed record SystemSnapshot(
    DateTimeOffset TakenAt,
    IReadOnlyList<(string Core, double Percent)> CpuPercent,
    MemoryStats Memory,
    (double One, double Five, double Fifteen) LoadAverage,
    IReadOnlyList<NetworkStats> Network);
