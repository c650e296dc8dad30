using System.Globalization;
using LlamaSwap.Core.Configuration;
using LlamaSwap.Gateway.Configuration;
using LlamaSwap.Gateway.Metrics.Performance;
using LlamaSwap.Gateway.Metrics.Performance.Gpu;
using LlamaSwap.Tests.AuthProxy;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit.Abstractions;

namespace LlamaSwap.Tests.Gateway.Metrics.Performance;

/// <summary>
/// What a sampling round costs: the real <c>/proc</c> reads plus one run of a fake <c>nvidia-smi</c>
/// (a shell script printing a recording), counted as this process's CPU time and its reaped
/// children's (<c>/proc/self/stat</c> utime, stime, cutime, cstime). Run it alone for a clean figure:
/// <c>dotnet test LlamaSwap.Tests -c Release --no-build --filter FullyQualifiedName~SamplingCostTests --logger "console;verbosity=detailed"</c>.
/// A real nvidia-smi costs more than the script (it initialises NVML on every run); that part is not measured here.
/// </summary>
[Collection(SamplingCostCollection.Name)]
public sealed class SamplingCostTests(ITestOutputHelper output) : IDisposable
{
    private const int Rounds = 40;
    private readonly FakeGpuTools _tools = new();

    public void Dispose() => _tools.Dispose();

    [Fact]
    public async Task ARound_CostsUnderOnePercentOfACore_AtTheDefaultInterval()
    {
        _tools.Prints("nvidia-smi", Recordings.NvidiaRtx2060);
        var config = new ConfigHolder(new LlamaSwapConfig());
        var gpus = new GpuSampler(new PerformanceOptions { ToolPath = _tools.Bin, SysfsRoot = _tools.Sysfs }, TimeProvider.System, new LogRecorder());
        var history = new PerformanceHistory(TimeProvider.System);
        using var sampler = new SystemStatsSampler(config, TimeProvider.System, NullLogger<SystemStatsSampler>.Instance, history: history, gpus: gpus);

        // Warm up: JIT, the detection, the first process start.
        sampler.SampleOnce();
        await sampler.SampleGpusAsync(CancellationToken.None);

        var before = CpuTicks();
        var wall = System.Diagnostics.Stopwatch.StartNew();
        for (var i = 0; i < Rounds; i++)
        {
            sampler.SampleOnce();
            await sampler.SampleGpusAsync(CancellationToken.None);
        }

        var cpuMs = (CpuTicks() - before) * 1000.0 / TicksPerSecond / Rounds;
        var every = ObservabilityConfig.DefaultPerformanceEvery;
        var share = cpuMs / every.TotalMilliseconds * 100;
        output.WriteLine(FormattableString.Invariant(
            $"{Rounds} rounds in {wall.ElapsedMilliseconds} ms wall: {cpuMs:0.00} ms CPU per round (process + tool) = {share:0.000}% of a core at every={every.TotalSeconds}s, {cpuMs * 60 / every.TotalSeconds:0} ms CPU per minute"));

        Assert.Equal(Rounds + 1, history.Read().System.Count);
        Assert.True(share < 1, $"a round costs {cpuMs:0.00} ms CPU, {share:0.000}% of a core at every={every.TotalSeconds}s");
    }

    /// <summary>USER_HZ: the unit of <c>/proc/self/stat</c>'s times; 100 on every Linux this runs on.</summary>
    private const double TicksPerSecond = 100;

    private static long CpuTicks()
    {
        var stat = File.ReadAllText("/proc/self/stat");

        // Fields after the parenthesised command name: utime, stime, cutime, cstime are 14-17 (1-based).
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return Enumerable.Range(11, 4).Sum(i => long.Parse(fields[i], CultureInfo.InvariantCulture));
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SamplingCostCollection
{
    public const string Name = "SamplingCost";
}
