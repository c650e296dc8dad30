using LlamaSwap.Gateway.Metrics.Performance;
using LlamaSwap.Gateway.Metrics.Performance.Gpu;
using LlamaSwap.Tests.AuthProxy;
using LlamaSwap.Tests.Infrastructure;

namespace LlamaSwap.Tests.Gateway.Metrics.Performance;

/// <summary>Each GPU source against fake tools printing real recorded outputs (<see cref="Recordings"/>), and the ways a tool goes wrong.</summary>
public sealed class GpuSourceTests : IDisposable
{
    private readonly FakeGpuTools _tools = new();
    private readonly LogRecorder _log = new();

    public void Dispose() => _tools.Dispose();

    [Fact]
    public async Task NvidiaSmi_OnTheToolPath_IsChosen_AndItsCsvIsReadByColumnName()
    {
        _tools.Prints("nvidia-smi", Recordings.NvidiaRtx2060);
        _tools.Prints("rocm-smi", Recordings.RocmRx7900Xt);
        var sampler = Sampler();

        var gpu = Assert.Single(await sampler.SampleAsync(CancellationToken.None));

        Assert.Equal("nvidia-smi", sampler.Source.Name);
        Assert.Equal(0, gpu.Stat.Id);
        Assert.Equal("GeForce RTX 2060", gpu.Stat.Name);
        Assert.Equal("", gpu.Stat.Uuid);
        Assert.Equal(20, gpu.Stat.GpuUtilPct);
        Assert.Equal(682, gpu.Stat.MemUsedMb);
        Assert.Equal(5934, gpu.Stat.MemTotalMb);
        Assert.Equal(100.0 * 682 / 5934, gpu.Stat.MemUtilPct, precision: 9);
        Assert.Equal(36, gpu.Stat.TempC);
        Assert.Equal(0, gpu.Stat.PowerDrawW);
        Assert.Equal("460.91.03", gpu.DriverVersion);
        Assert.Equal("NVIDIA", gpu.Vendor);
    }

    [Fact]
    public async Task RocmSmi_OnAMultiGpuMachine_GivesEachCardItsIdNameMemoryAndUuid()
    {
        _tools.Prints("rocm-smi", Recordings.RocmTwoGpus);
        var sampler = Sampler();

        var gpus = await sampler.SampleAsync(CancellationToken.None);

        Assert.Equal("rocm-smi", sampler.Source.Name);
        Assert.Equal([0, 1], gpus.Select(g => g.Stat.Id));
        Assert.Equal("Navi 21 [Radeon RX 6800/6800 XT / 6900 XT]", gpus[0].Stat.Name);
        Assert.Equal("0x9246____________", gpus[0].Stat.Uuid);
        Assert.Equal(17163091968 / (1024 * 1024), gpus[0].Stat.MemTotalMb);
        Assert.Equal(692142080 / (1024 * 1024), gpus[0].Stat.MemUsedMb);
        Assert.Equal("Raphael", gpus[1].Stat.Name);
        Assert.Equal("52156", gpus[1].Stat.Uuid);
        Assert.Equal(64, gpus[1].Stat.MemTotalMb);
        Assert.Equal(24, gpus[1].Stat.MemUsedMb);
    }

    [Fact]
    public async Task RocmSmi_ReadsUtilisation()
    {
        _tools.Prints("rocm-smi", Recordings.RocmRx7900Xt);

        var gpu = Assert.Single(await Sampler().SampleAsync(CancellationToken.None));

        Assert.Equal("Radeon RX 7900 XT", gpu.Stat.Name);
        Assert.Equal(0, gpu.Stat.GpuUtilPct);
        Assert.Equal(20464, gpu.Stat.MemTotalMb);
        Assert.Equal(26, gpu.Stat.MemUsedMb);
    }

    [Fact]
    public async Task AHangingTool_IsKilledAfterTheTimeout_LoggedOnce_AndSamplingGoesOn()
    {
        var pidFile = _tools.Hangs("nvidia-smi");
        var sampler = Sampler(TimeSpan.FromMilliseconds(300));

        Assert.Empty(await sampler.SampleAsync(CancellationToken.None));
        var pid = int.Parse(File.ReadAllText(pidFile).Trim());
        Assert.False(Directory.Exists($"/proc/{pid}"), $"the hung tool (pid {pid}) was killed and reaped");
        Assert.Empty(await sampler.SampleAsync(CancellationToken.None));

        var failure = Assert.Single(_log.WithId(1403));
        Assert.Contains("did not finish within 0.3s and was killed", failure.Message);

        _tools.Prints("nvidia-smi", Recordings.NvidiaRtx2060);
        Assert.Single(await sampler.SampleAsync(CancellationToken.None));
        Assert.Single(_log.WithId(1404));
    }

    [Fact]
    public async Task AFailingTool_GivesAnEmptySection_AndItsMessageIsLogged()
    {
        _tools.Fails("nvidia-smi", Recordings.NvidiaDriverFailure, exitCode: 9);

        Assert.Empty(await Sampler().SampleAsync(CancellationToken.None));

        var failure = Assert.Single(_log.WithId(1403));
        Assert.Contains("exited with 9: NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver", failure.Message);
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("name, memory.used\nGeForce, 1, 2, 3\n")]
    [InlineData("")]
    public async Task AToolPrintingGarbage_GivesAnEmptySection_AndIsLogged(string output)
    {
        _tools.Prints("nvidia-smi", output);

        Assert.Empty(await Sampler().SampleAsync(CancellationToken.None));

        Assert.Single(_log.WithId(1403));
    }

    [Fact]
    public async Task NoToolAndNoAmdSysfs_MeansNoGpus()
    {
        var sampler = Sampler();

        Assert.Empty(await sampler.SampleAsync(CancellationToken.None));
        Assert.Equal("none", sampler.Source.Name);
        Assert.Empty(_log.WithId(1403));
    }

    /// <summary>
    /// The amdgpu sysfs files hold plain numbers (bytes, percent, millidegrees, microwatts, 0-255) as the
    /// kernel's amdgpu documentation describes them; the VRAM figures are the RX 7900 XT recording's.
    /// </summary>
    [Fact]
    public async Task AmdSysfs_WithoutRocmSmi_ReadsVramBusyTemperaturePowerAndFan()
    {
        var device = Directory.CreateDirectory(Path.Combine(_tools.Sysfs, "class", "drm", "card1", "device")).FullName;
        Directory.CreateDirectory(Path.Combine(_tools.Sysfs, "class", "drm", "card1-DP-1"));
        File.WriteAllText(Path.Combine(device, "mem_info_vram_total"), "21458059264\n");
        File.WriteAllText(Path.Combine(device, "mem_info_vram_used"), "27856896\n");
        File.WriteAllText(Path.Combine(device, "gpu_busy_percent"), "37\n");
        var hwmon = Directory.CreateDirectory(Path.Combine(device, "hwmon", "hwmon3")).FullName;
        File.WriteAllText(Path.Combine(hwmon, "temp1_input"), "45000\n");
        File.WriteAllText(Path.Combine(hwmon, "power1_average"), "23000000\n");
        File.WriteAllText(Path.Combine(hwmon, "pwm1"), "51\n");
        var sampler = Sampler();

        var gpu = Assert.Single(await sampler.SampleAsync(CancellationToken.None));

        Assert.Equal("sysfs", sampler.Source.Name);
        Assert.Equal(1, gpu.Stat.Id);
        Assert.Equal("AMD GPU card1", gpu.Stat.Name);
        Assert.Equal(20464, gpu.Stat.MemTotalMb);
        Assert.Equal(26, gpu.Stat.MemUsedMb);
        Assert.Equal(37, gpu.Stat.GpuUtilPct);
        Assert.Equal(45, gpu.Stat.TempC);
        Assert.Equal(23, gpu.Stat.PowerDrawW);
        Assert.Equal(20, gpu.Stat.FanSpeedPct);
    }

    [Fact]
    public void AppleVmStat_UsedIsActivePlusWiredPlusCompressedPages()
        => Assert.Equal((485320L + 715958L + 0L) * 4096, AppleUnifiedMemorySource.UsedBytes(Recordings.VmStat));

    [Fact]
    public void AppleVmStat_WithoutAPageSize_IsRefused()
        => Assert.Throws<GpuReadException>(() => AppleUnifiedMemorySource.UsedBytes("Pages active: 12."));

    private GpuSampler Sampler(TimeSpan? timeout = null) => new(
        new PerformanceOptions { ToolPath = _tools.Bin, SysfsRoot = _tools.Sysfs, ToolTimeout = timeout ?? TimeSpan.FromSeconds(20) },
        TimeProvider.System,
        _log);
}
