using System.Globalization;

namespace LlamaSwap.Gateway.Metrics.Performance.Gpu;

/// <summary>
/// AMD GPUs from the amdgpu driver's sysfs files when <c>rocm-smi</c> is not installed:
/// <c>{root}/class/drm/cardN/device/</c> <c>mem_info_vram_used</c>, <c>mem_info_vram_total</c> (bytes),
/// <c>gpu_busy_percent</c>, and its hwmon's <c>temp1_input</c> (millidegrees), <c>power1_average</c>
/// (microwatts), <c>pwm1</c> (0-255).
/// </summary>
internal sealed class AmdSysfsSource(string sysfsRoot) : IGpuSource
{
    private const long Mib = 1024 * 1024;

    public string Name => "sysfs";

    /// <summary>The cards with VRAM counters (the amdgpu driver's), by card number.</summary>
    public static IReadOnlyList<(int Id, string Device)> Cards(string sysfsRoot)
    {
        var drm = Path.Combine(sysfsRoot, "class", "drm");
        if (!Directory.Exists(drm))
        {
            return [];
        }

        return [.. Directory.EnumerateFileSystemEntries(drm, "card*")
            .Select(card => (Name: Path.GetFileName(card), Device: Path.Combine(card, "device")))
            .Where(c => int.TryParse(c.Name.AsSpan(4), NumberStyles.None, CultureInfo.InvariantCulture, out _)
                && File.Exists(Path.Combine(c.Device, "mem_info_vram_total")))
            .Select(c => (int.Parse(c.Name.AsSpan(4), CultureInfo.InvariantCulture), c.Device))
            .OrderBy(c => c.Item1)];
    }

    public Task<IReadOnlyList<GpuReading>> ReadAsync(DateTime timestamp, CancellationToken cancellationToken)
    {
        try
        {
            IReadOnlyList<GpuReading> readings = [.. Cards(sysfsRoot).Select(card => Read(card.Id, card.Device, timestamp))];
            return Task.FromResult(readings);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or OverflowException)
        {
            throw new GpuReadException($"cannot read amdgpu sysfs under {sysfsRoot}: {ex.Message}");
        }
    }

    private static GpuReading Read(int id, string device, DateTime timestamp)
    {
        var hwmon = Directory.Exists(Path.Combine(device, "hwmon"))
            ? Directory.EnumerateDirectories(Path.Combine(device, "hwmon")).Order(StringComparer.Ordinal).FirstOrDefault()
            : null;
        var used = Number(device, "mem_info_vram_used") / Mib;
        var total = Number(device, "mem_info_vram_total") / Mib;
        return new GpuReading(
            new GpuStat
            {
                Timestamp = timestamp,
                Id = id,
                Name = Text(device, "product_name") ?? $"AMD GPU card{id}",
                Uuid = Text(device, "unique_id") ?? "",
                TempC = (int)(Number(hwmon, "temp1_input") / 1000),
                GpuUtilPct = Number(device, "gpu_busy_percent"),
                MemUtilPct = GpuStat.MemoryPercent(used, total),
                MemUsedMb = used,
                MemTotalMb = total,
                FanSpeedPct = Math.Round(Number(hwmon, "pwm1") / 255.0 * 100, 1),
                PowerDrawW = Number(hwmon, "power1_average") / 1_000_000.0,
            },
            "AMD",
            "dedicated");
    }

    /// <summary>A number file's value; 0 when the driver does not expose it.</summary>
    private static long Number(string? directory, string file)
        => Text(directory, file) is { } text ? long.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture) : 0;

    private static string? Text(string? directory, string file)
    {
        var path = directory is null ? null : Path.Combine(directory, file);
        return path is not null && File.Exists(path) ? File.ReadAllText(path).Trim() is { Length: > 0 } text ? text : null : null;
    }
}
