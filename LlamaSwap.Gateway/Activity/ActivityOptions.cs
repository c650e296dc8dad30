namespace LlamaSwap.Gateway.Activity;

/// <summary>The <c>Gateway:Activity</c> configuration section.</summary>
internal sealed record ActivityOptions
{
    public const string SectionName = "Gateway:Activity";

    /// <summary>Tee, parse and record model requests; false takes the whole path out (A/B benchmarks).</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>Finished requests waiting for the recorder; beyond this they are dropped, never waited for.</summary>
    public int QueueCapacity { get; init; } = 512;

    /// <summary>Copied bytes waiting for the recorder; beyond this requests are dropped too (bounds memory under bursts).</summary>
    public long QueueBytes { get; init; } = 64L * 1024 * 1024;
}
