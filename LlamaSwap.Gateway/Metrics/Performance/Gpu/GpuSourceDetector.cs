using System.Runtime.InteropServices;
using LlamaSwap.Core.Hosting;

namespace LlamaSwap.Gateway.Metrics.Performance.Gpu;

/// <summary>
/// Picks the GPU source once, at start-up, in llama-swap's order: <c>nvidia-smi</c>, then
/// <c>rocm-smi</c>, then amdgpu sysfs, then (macOS on arm64) Apple unified memory, else none.
/// </summary>
internal static class GpuSourceDetector
{
    public static IGpuSource Detect(PerformanceOptions options, TimeProvider time)
    {
        var runner = new ToolRunner(options.ToolTimeout, time);
        if (ExecutableLocator.FindOnPath("nvidia-smi", options.ToolPath) is { } nvidia)
        {
            return new NvidiaSmiSource(nvidia, runner);
        }

        if (ExecutableLocator.FindOnPath("rocm-smi", options.ToolPath) is { } rocm)
        {
            return new RocmSmiSource(rocm, runner);
        }

        if (OperatingSystem.IsLinux() && AmdSysfsSource.Cards(options.SysfsRoot).Count > 0)
        {
            return new AmdSysfsSource(options.SysfsRoot);
        }

        if (OperatingSystem.IsMacOS() && RuntimeInformation.OSArchitecture == Architecture.Arm64
            && ExecutableLocator.FindOnPath("sysctl", options.ToolPath ?? "/usr/sbin:/usr/bin") is { } sysctl
            && ExecutableLocator.FindOnPath("vm_stat", options.ToolPath ?? "/usr/bin") is { } vmStat)
        {
            return new AppleUnifiedMemorySource(sysctl, vmStat, runner);
        }

        return new NoGpuSource();
    }
}
