namespace LlamaSwap.Gateway.Metrics.Performance.Gpu;

/// <summary>AMD GPUs through <c>rocm-smi --csv</c> (the columns llama-swap reads, by their header names).</summary>
internal sealed class RocmSmiSource(string path, ToolRunner runner) : IGpuSource
{
    private const long Mib = 1024 * 1024;

    public static readonly string[] Arguments =
        ["--showuse", "--showmeminfo", "vram", "--showtemp", "--showfan", "--showpower", "--showproductname", "--showuniqueid", "--csv"];

    public string Name => "rocm-smi";

    public async Task<IReadOnlyList<GpuReading>> ReadAsync(DateTime timestamp, CancellationToken cancellationToken)
        => Parse(await runner.RunAsync(path, Arguments, cancellationToken), timestamp);

    public static IReadOnlyList<GpuReading> Parse(string output, DateTime timestamp)
    {
        var rows = SmiCsv.Parse(output, "rocm-smi", line => line.StartsWith("device,", StringComparison.Ordinal));
        var readings = new List<GpuReading>();
        foreach (var row in rows)
        {
            var device = row["device"];
            if (!int.TryParse(device.StartsWith("card", StringComparison.Ordinal) ? device[4..] : device, out var id))
            {
                throw new GpuReadException($"rocm-smi printed a device that is not cardN: {ToolRunner.Shorten(device)}");
            }

            var used = (long)(SmiCsv.Number(row, "VRAM Total Used Memory (B)") / Mib);
            var total = (long)(SmiCsv.Number(row, "VRAM Total Memory (B)") / Mib);
            var series = SmiCsv.Text(row, "Card Series", "Device Name");
            readings.Add(new GpuReading(
                new GpuStat
                {
                    Timestamp = timestamp,
                    Id = id,
                    Name = series ?? device,
                    Uuid = SmiCsv.Text(row, "Unique ID", "GUID") ?? "",
                    TempC = (int)SmiCsv.Number(row, "Temperature (Sensor edge) (C)", "Temperature (Sensor junction) (C)"),
                    VramTempC = (int)SmiCsv.Number(row, "Temperature (Sensor memory) (C)"),
                    GpuUtilPct = SmiCsv.Number(row, "GPU use (%)"),
                    MemUtilPct = GpuStat.MemoryPercent(used, total),
                    MemUsedMb = used,
                    MemTotalMb = total,
                    FanSpeedPct = SmiCsv.Number(row, "Fan speed (%)"),
                    PowerDrawW = SmiCsv.Number(row, "Average Graphics Package Power (W)", "Current Socket Graphics Package Power (W)"),
                },
                "AMD",
                "dedicated"));
        }

        return readings;
    }
}
