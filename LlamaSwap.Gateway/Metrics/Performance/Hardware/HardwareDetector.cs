using System.Runtime.InteropServices;
using LlamaSwap.Core.Hosting;
using LlamaSwap.Gateway.Metrics.Performance.Gpu;

namespace LlamaSwap.Gateway.Metrics.Performance.Hardware;

/// <summary>
/// Builds the <c>/api/hardware</c> snapshot from <c>/proc</c> (CPU, memory, kernel), <c>/etc/os-release</c>
/// and the GPU source's first reading. Linux only: elsewhere there is no snapshot and the endpoint says so.
/// </summary>
internal static class HardwareDetector
{
    public static HardwareSnapshot? Detect(string procRoot, string etcRoot, IReadOnlyList<GpuReading> gpus, DateTime now)
    {
        if (!File.Exists(Path.Combine(procRoot, "meminfo")))
        {
            return null;
        }

        var memory = ProcStats.ParseMemory(File.ReadAllText(Path.Combine(procRoot, "meminfo")));
        var cpuinfo = ReadOrEmpty(Path.Combine(procRoot, "cpuinfo"));
        var osRelease = ParseOsRelease(ReadOrEmpty(Path.Combine(etcRoot, "os-release")));
        return new HardwareSnapshot
        {
            CapturedAt = now,
            Capture = new HardwareCapture("inference_host", "detected", new DetectorInfo("llamaswap-gateway", BuildInfo.Of(typeof(HardwareDetector).Assembly).Version)),
            Architecture = Architecture(),
            OperatingSystem = new OperatingSystemInfo
            {
                Family = "linux",
                Name = osRelease.GetValueOrDefault("NAME"),
                Version = osRelease.GetValueOrDefault("VERSION_ID"),
                Kernel = ReadOrEmpty(Path.Combine(procRoot, "sys", "kernel", "osrelease")).Trim() is { Length: > 0 } kernel ? kernel : null,
            },
            Environment = new EnvironmentInfo { Kind = File.Exists("/.dockerenv") || File.Exists("/run/.containerenv") ? "container" : "native" },
            Cpu = ParseCpu(cpuinfo),
            Memory = new MemoryInfo(memory.TotalBytes),
            Accelerators = [.. gpus.OrderBy(g => g.Stat.Id).Select((g, index) => new AcceleratorInfo
            {
                Index = index,
                Vendor = g.Vendor,
                Model = g.Stat.Name,
                Memory = new AcceleratorMemory(g.MemoryKind, g.Stat.MemTotalMb > 0 ? g.Stat.MemTotalMb * 1024 * 1024 : null),
                Driver = g.DriverVersion is null ? null : new DriverInfo(g.Vendor == "NVIDIA" ? "nvidia" : null, g.DriverVersion),
                PowerLimitWatts = g.PowerLimitWatts,
            })],
        };
    }

    /// <summary>Vendor, model, sockets (distinct <c>physical id</c>), physical cores (distinct socket/core pairs) and logical threads (<c>processor</c> entries).</summary>
    public static CpuInfo ParseCpu(string cpuinfo)
    {
        var processors = 0;
        string? vendor = null, model = null, socket = null;
        var sockets = new HashSet<string>(StringComparer.Ordinal);
        var cores = new HashSet<(string?, string)>();
        foreach (var line in cpuinfo.Split('\n'))
        {
            var colon = line.IndexOf(':');
            if (colon < 0)
            {
                continue;
            }

            var key = line[..colon].Trim();
            var value = line[(colon + 1)..].Trim();
            switch (key)
            {
                case "processor": processors++; break;
                case "vendor_id": vendor ??= value; break;
                case "model name": model ??= value; break;
                case "physical id": socket = value; sockets.Add(value); break;
                case "core id": cores.Add((socket, value)); break;
            }
        }

        return new CpuInfo
        {
            Vendor = vendor,
            Model = model,
            SocketCount = sockets.Count > 0 ? sockets.Count : null,
            PhysicalCoreCount = cores.Count > 0 ? cores.Count : null,
            LogicalThreadCount = processors > 0 ? processors : Environment.ProcessorCount,
        };
    }

    private static NamedValue Architecture() => RuntimeInformation.OSArchitecture switch
    {
        System.Runtime.InteropServices.Architecture.X64 => new NamedValue("x86_64", null),
        System.Runtime.InteropServices.Architecture.Arm64 => new NamedValue("arm64", null),
        System.Runtime.InteropServices.Architecture.Arm => new NamedValue("armv7", null),
        System.Runtime.InteropServices.Architecture.Ppc64le => new NamedValue("ppc64le", null),
        System.Runtime.InteropServices.Architecture.RiscV64 => new NamedValue("riscv64", null),
        System.Runtime.InteropServices.Architecture.S390x => new NamedValue("s390x", null),
        var other => new NamedValue("other", other.ToString()),
    };

    private static Dictionary<string, string> ParseOsRelease(string text)
        => text.Split('\n')
            .Select(l => l.Split('=', 2))
            .Where(p => p.Length == 2)
            .GroupBy(p => p[0].Trim(), StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First()[1].Trim().Trim('"'), StringComparer.Ordinal);

    private static string ReadOrEmpty(string path) => File.Exists(path) ? File.ReadAllText(path) : "";
}
