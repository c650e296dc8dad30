namespace LlamaSwap.Gateway.Activity;

/// <summary>The <c>Gateway:Activity</c> configuration section.</summary>
internal sealed record ActivityOptions
{
    public const string SectionName = "Gateway:Activity";

    /// <summary>Rows a <c>store.path</c> file keeps by default (a few tens of MB; captures are bounded by <c>captureBuffer</c> on top).</summary>
    public const int DefaultFileMaxRows = 100_000;

    /// <summary>Tee, parse and record model requests; false takes the whole path out (A/B benchmarks).</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>Finished requests waiting for the recorder; beyond this they are dropped, never waited for.</summary>
    public int QueueCapacity { get; init; } = 512;

    /// <summary>Copied bytes waiting for the recorder; beyond this requests are dropped too (bounds memory under bursts).</summary>
    public long QueueBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>
    /// Rows a <c>store.path</c> file keeps, newest first (llama-swap prunes only its in-memory store, to
    /// <c>metricsMaxInMemory</c>; a file here is bounded too). The in-memory store keeps <c>metricsMaxInMemory</c>.
    /// </summary>
    public int FileMaxRows { get; init; } = DefaultFileMaxRows;
}
