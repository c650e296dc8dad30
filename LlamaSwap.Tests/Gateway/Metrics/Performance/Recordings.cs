namespace LlamaSwap.Tests.Gateway.Metrics.Performance;

/// <summary>
/// Real outputs of the GPU tools, copied verbatim from public reports (no GPU exists on the machines
/// these tests run on). Each says where it came from and the command that printed it.
/// </summary>
internal static class Recordings
{
    /// <summary>
    /// One GeForce RTX 2060, <c>nvidia-smi --query-gpu=name,pci.bus_id,driver_version,utilization.gpu,
    /// utilization.memory,memory.total,memory.free,memory.used,temperature.gpu,clocks.current.graphics,
    /// clocks.max.graphics --format=csv</c> (with header and units). From
    /// https://github.com/hakandundar34coding/system-monitoring-center/issues/57 (comment of 2022-04-18).
    /// It has no index, uuid, fan or power column: those read as absent.
    /// </summary>
    public const string NvidiaRtx2060 = """
        name, pci.bus_id, driver_version, utilization.gpu [%], utilization.memory [%], memory.total [MiB], memory.free [MiB], memory.used [MiB], temperature.gpu, clocks.current.graphics [MHz], clocks.max.graphics [MHz]
        GeForce RTX 2060, 00000000:09:00.0, 460.91.03, 20 %, 8 %, 5934 MiB, 5252 MiB, 682 MiB, 36, 300 MHz, 2160 MHz

        """;

    /// <summary>
    /// One Radeon RX 7900 XT, <c>rocm-smi --showproductname --showuse --showmeminfo vram --csv</c>. From
    /// https://github.com/marimo-team/marimo/issues/9237 (description, 2026-04-16).
    /// </summary>
    public const string RocmRx7900Xt = """
        device,GPU use (%),VRAM Total Memory (B),VRAM Total Used Memory (B),Card Series,Card Model,Card Vendor,Card SKU,Subsystem ID,Device Rev,Node ID,GUID,GFX Version
        card0,0,21458059264,27856896,Radeon RX 7900 XT,0x744c,Advanced Micro Devices Inc. [AMD/ATI],D70401XT,0x471e,0xcc,1,26967,gfx1100

        """;

    /// <summary>
    /// A two-GPU machine (a Radeon RX 6800-class card and the Raphael iGPU),
    /// <c>rocm-smi --showproductname --showmeminfo vram --showuniqueid --csv</c>. From
    /// https://github.com/mudler/LocalAI/pull/7761 (description, 2025-12-28).
    /// </summary>
    public const string RocmTwoGpus = """
        device,Unique ID,VRAM Total Memory (B),VRAM Total Used Memory (B),Card Series,Card Model,Card Vendor,Card SKU,Subsystem ID,Device Rev,Node ID,GUID,GFX Version
        card0,0x9246____________,17163091968,692142080,Navi 21 [Radeon RX 6800/6800 XT / 6900 XT],0x73bf,Advanced Micro Devices Inc. [AMD/ATI],001,0x2406,0xc1,1,45534,gfx1030
        card1,N/A,67108864,26079232,Raphael,0x164e,Advanced Micro Devices Inc. [AMD/ATI],RAPHAEL,0x364e,0xc6,2,52156,gfx1036

        """;

    /// <summary>
    /// <c>vm_stat</c> on a Mac, from https://github.com/wazuh/wazuh/issues/22113 (comment by nbertoldo).
    /// </summary>
    public const string VmStat = """
        Mach Virtual Memory Statistics: (page size of 4096 bytes)
        Pages free:                             6127229.
        Pages active:                            485320.
        Pages inactive:                          628646.
        Pages speculative:                       430715.
        Pages throttled:                              0.
        Pages wired down:                        715958.
        Pages purgeable:                          11820.
        "Translation faults":                  11477162.
        Pages copy-on-write:                     356264.
        Pages zero filled:                      7628050.
        Pages reactivated:                         9561.
        Pages purged:                              1423.
        File-backed pages:                      1080348.
        Anonymous pages:                         464333.
        Pages stored in compressor:                   0.
        Pages occupied by compressor:                 0.
        Decompressions:                               0.
        Compressions:                                 0.
        Pageins:                                 280307.
        Pageouts:                                     0.
        Swapins:                                      0.
        Swapouts:                                     0.

        """;

    /// <summary>
    /// What <c>nvidia-smi</c> prints (on stderr, exit code 9) when the driver is not loaded, as countless
    /// reports quote it, e.g. https://github.com/NVIDIA/nvidia-docker/issues/1393.
    /// </summary>
    public const string NvidiaDriverFailure = "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver. Make sure that the latest NVIDIA driver is installed and running.";
}
