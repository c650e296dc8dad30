using System.Text.Json.Serialization;

namespace LlamaSwap.Gateway.Metrics.Performance;

/// <summary>One system sample in <c>/api/performance</c>'s <c>sys_stats</c>, with llama-swap's field names (reference 2.3).</summary>
internal sealed record SysStat
{
    [JsonPropertyName("timestamp")] public required DateTime Timestamp { get; init; }
    [JsonPropertyName("cpu_util_per_core")] public required IReadOnlyList<double> CpuUtilPerCore { get; init; }
    [JsonPropertyName("mem_total_mb")] public long MemTotalMb { get; init; }
    [JsonPropertyName("mem_used_mb")] public long MemUsedMb { get; init; }
    [JsonPropertyName("mem_free_mb")] public long MemFreeMb { get; init; }
    [JsonPropertyName("swap_total_mb")] public long SwapTotalMb { get; init; }
    [JsonPropertyName("swap_used_mb")] public long SwapUsedMb { get; init; }
    [JsonPropertyName("load_avg_1")] public double LoadAvg1 { get; init; }
    [JsonPropertyName("load_avg_5")] public double LoadAvg5 { get; init; }
    [JsonPropertyName("load_avg_15")] public double LoadAvg15 { get; init; }
    [JsonPropertyName("net_io")] public required IReadOnlyList<NetIoStat> NetIo { get; init; }

    private const long Mib = 1024 * 1024;

    /// <summary>The API's view of a <c>/proc</c> snapshot. llama-swap leaves the loopback interface out of <c>net_io</c>; so does this.</summary>
    public static SysStat From(SystemSnapshot snapshot) => new()
    {
        Timestamp = snapshot.TakenAt.UtcDateTime,
        CpuUtilPerCore = [.. snapshot.CpuPercent.Select(c => c.Percent)],
        MemTotalMb = snapshot.Memory.TotalBytes / Mib,
        MemUsedMb = snapshot.Memory.UsedBytes / Mib,
        MemFreeMb = snapshot.Memory.FreeBytes / Mib,
        SwapTotalMb = snapshot.Memory.SwapTotalBytes / Mib,
        SwapUsedMb = snapshot.Memory.SwapUsedBytes / Mib,
        LoadAvg1 = snapshot.LoadAverage.One,
        LoadAvg5 = snapshot.LoadAverage.Five,
        LoadAvg15 = snapshot.LoadAverage.Fifteen,
        NetIo = [.. snapshot.Network.Where(n => n.Interface != "lo").Select(n => new NetIoStat(n.Interface, n.ReceivedBytes, n.TransmittedBytes))],
    };
}

internal sealed record NetIoStat(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("bytes_recv")] long BytesRecv,
    [property: JsonPropertyName("bytes_sent")] long BytesSent);

/// <summary>One GPU in one sample, <c>/api/performance</c>'s <c>gpu_stats</c> (llama-swap's <c>GpuStat</c>).</summary>
internal sealed record GpuStat
{
    [JsonPropertyName("timestamp")] public DateTime Timestamp { get; init; }
    [JsonPropertyName("id")] public int Id { get; init; }
    [JsonPropertyName("name")] public string Name { get; init; } = "";
    [JsonPropertyName("uuid")] public string Uuid { get; init; } = "";
    [JsonPropertyName("temp_c")] public int TempC { get; init; }
    [JsonPropertyName("vram_temp_c")] public int VramTempC { get; init; }
    [JsonPropertyName("gpu_util_pct")] public double GpuUtilPct { get; init; }

    /// <summary>Share of the GPU's memory in use (used / total), as llama-swap computes it; not nvidia-smi's memory-bandwidth figure.</summary>
    [JsonPropertyName("mem_util_pct")] public double MemUtilPct { get; init; }
    [JsonPropertyName("mem_used_mb")] public long MemUsedMb { get; init; }
    [JsonPropertyName("mem_total_mb")] public long MemTotalMb { get; init; }
    [JsonPropertyName("fan_speed_pct")] public double FanSpeedPct { get; init; }
    [JsonPropertyName("power_draw_w")] public double PowerDrawW { get; init; }

    public static double MemoryPercent(long usedMb, long totalMb) => totalMb > 0 ? 100.0 * usedMb / totalMb : 0;
}
