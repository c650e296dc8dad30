using System.Text.Json.Serialization;

namespace LlamaSwap.Core.Contracts;

/// <summary>Where a <see cref="LoadProgress"/> figure was read.</summary>
public static class LoadProgressSources
{
    /// <summary>Bytes the upstream's process tree read with read(2) (<c>/proc/&lt;pid&gt;/io</c>).</summary>
    public const string ProcIo = "proc-io";

    /// <summary>Resident bytes of the model files' memory mappings (<c>/proc/&lt;pid&gt;/smaps</c>).</summary>
    public const string Mmap = "mmap";

    /// <summary>The upstream's own progress output.</summary>
    public const string Log = "log";
}

/// <summary>
/// How far a starting model has loaded its model files, as the supervisor can see it from outside
/// the process. The property names are the API's (<c>/api/events</c> modelStatus, <c>/running</c>),
/// the same in the Redis record, so every reader sees one shape.
/// </summary>
public sealed record LoadProgress
{
    /// <summary>0..1, never decreasing during one start.</summary>
    [JsonPropertyName("fraction")]
    public double Fraction { get; init; }

    [JsonPropertyName("bytes")]
    public long Bytes { get; init; }

    /// <summary>Total size of the model files found in the command.</summary>
    [JsonPropertyName("total_bytes")]
    public long TotalBytes { get; init; }

    /// <summary>Estimated time left from the recent rate; null while the rate is unknown (or nothing moved lately).</summary>
    [JsonPropertyName("eta_ms")]
    public long? EtaMs { get; init; }

    /// <summary>One of <see cref="LoadProgressSources"/>.</summary>
    [JsonPropertyName("source")]
    public required string Source { get; init; }
}
