namespace LlamaSwap.Gateway.Metrics.Performance.Gpu;

/// <summary>
/// NVIDIA GPUs through <c>nvidia-smi --query-gpu=... --format=csv,nounits</c>, one run per round.
/// The header is kept (unlike llama-swap's <c>noheader</c>) so that columns are read by name.
/// </summary>
internal sealed class NvidiaSmiSource(string path, ToolRunner runner) : IGpuSource
{
    public static readonly string[] Arguments =
    [
        "--query-gpu=index,name,uuid,temperature.gpu,temperature.memory,utilization.gpu,memory.used,memory.total,fan.speed,power.draw,driver_version,power.limit",
        "--format=csv,nounits",
    ];

    public string Name => "nvidia-smi";

    public async Task<IReadOnlyList<GpuReading>> ReadAsync(DateTime timestamp, CancellationToken cancellationToken)
        => Parse(await runner.RunAsync(path, Arguments, cancellationToken), timestamp);

    public static IReadOnlyList<GpuReading> Parse(string output, DateTime timestamp)
    {
        var rows = SmiCsv.Parse(output, "nvidia-smi", line => line.Contains("name", StringComparison.OrdinalIgnoreCase) && line.Contains(',', StringComparison.Ordinal));
        return [.. rows.Select((row, position) =>
        {
            var used = (long)SmiCsv.Number(row, "memory.used");
            var total = (long)SmiCsv.Number(row, "memory.total");
            return new GpuReading(
                new GpuStat
                {
                    Timestamp = timestamp,
                    Id = row.ContainsKey("index") ? (int)SmiCsv.Number(row, "index") : position,
                    Name = SmiCsv.Text(row, "name") ?? $"NVIDIA GPU {position}",
                    Uuid = SmiCsv.Text(row, "uuid", "gpu_uuid") ?? "",
                    TempC = (int)SmiCsv.Number(row, "temperature.gpu"),
                    VramTempC = (int)SmiCsv.Number(row, "temperature.memory"),
                    GpuUtilPct = SmiCsv.Number(row, "utilization.gpu"),
                    MemUtilPct = GpuStat.MemoryPercent(used, total),
                    MemUsedMb = used,
                    MemTotalMb = total,
                    FanSpeedPct = SmiCsv.Number(row, "fan.speed"),
                    PowerDrawW = SmiCsv.Number(row, "power.draw"),
                },
                "NVIDIA",
                "dedicated",
                SmiCsv.Text(row, "driver_version"),
                SmiCsv.Number(row, "power.limit") is > 0 and var limit ? limit : null);
        })];
    }
}
