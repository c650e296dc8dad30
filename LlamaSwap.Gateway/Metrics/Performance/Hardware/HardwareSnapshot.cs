using System.Text.Json.Serialization;

namespace LlamaSwap.Gateway.Metrics.Performance.Hardware;

/// <summary>
/// <c>GET /api/hardware</c>: what the machine is, detected once at start-up, in llama-swap's
/// <c>HardwareSnapshot</c> shape (schema_version 1). Unknown values are null, as there.
/// </summary>
internal sealed record HardwareSnapshot
{
    [JsonPropertyName("schema_version")] public int SchemaVersion { get; init; } = 1;
    [JsonPropertyName("captured_at")] public required DateTime CapturedAt { get; init; }
    [JsonPropertyName("capture")] public required HardwareCapture Capture { get; init; }
    [JsonPropertyName("architecture")] public required NamedValue Architecture { get; init; }
    [JsonPropertyName("operating_system")] public required OperatingSystemInfo OperatingSystem { get; init; }
    [JsonPropertyName("environment")] public required EnvironmentInfo Environment { get; init; }
    [JsonPropertyName("cpu")] public required CpuInfo Cpu { get; init; }
    [JsonPropertyName("memory")] public required MemoryInfo Memory { get; init; }
    [JsonPropertyName("accelerators")] public required IReadOnlyList<AcceleratorInfo> Accelerators { get; init; }
}

internal sealed record HardwareCapture(
    [property: JsonPropertyName("scope")] string Scope,
    [property: JsonPropertyName("method")] string Method,
    [property: JsonPropertyName("detector")] DetectorInfo Detector);

internal sealed record DetectorInfo([property: JsonPropertyName("name")] string Name, [property: JsonPropertyName("version")] string Version);

internal sealed record NamedValue(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("raw_name"), JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? RawName);

internal sealed record OperatingSystemInfo
{
    [JsonPropertyName("family")] public required string Family { get; init; }
    [JsonPropertyName("name"), JsonIgnore(Condition = JsonIgnoreCondition.Never)] public string? Name { get; init; }
    [JsonPropertyName("version"), JsonIgnore(Condition = JsonIgnoreCondition.Never)] public string? Version { get; init; }
    [JsonPropertyName("kernel"), JsonIgnore(Condition = JsonIgnoreCondition.Never)] public string? Kernel { get; init; }
}

internal sealed record EnvironmentInfo
{
    [JsonPropertyName("kind")] public required string Kind { get; init; }
    [JsonPropertyName("name"), JsonIgnore(Condition = JsonIgnoreCondition.Never)] public string? Name { get; init; }
    [JsonPropertyName("version"), JsonIgnore(Condition = JsonIgnoreCondition.Never)] public string? Version { get; init; }
}

internal sealed record CpuInfo
{
    [JsonPropertyName("vendor"), JsonIgnore(Condition = JsonIgnoreCondition.Never)] public string? Vendor { get; init; }
    [JsonPropertyName("model"), JsonIgnore(Condition = JsonIgnoreCondition.Never)] public string? Model { get; init; }
    [JsonPropertyName("socket_count"), JsonIgnore(Condition = JsonIgnoreCondition.Never)] public int? SocketCount { get; init; }
    [JsonPropertyName("physical_core_count"), JsonIgnore(Condition = JsonIgnoreCondition.Never)] public int? PhysicalCoreCount { get; init; }
    [JsonPropertyName("logical_thread_count"), JsonIgnore(Condition = JsonIgnoreCondition.Never)] public int? LogicalThreadCount { get; init; }
}

internal sealed record MemoryInfo([property: JsonPropertyName("capacity_bytes")] long CapacityBytes);

internal sealed record AcceleratorInfo
{
    [JsonPropertyName("index")] public int Index { get; init; }
    [JsonPropertyName("kind")] public string Kind { get; init; } = "gpu";
    [JsonPropertyName("vendor"), JsonIgnore(Condition = JsonIgnoreCondition.Never)] public string? Vendor { get; init; }
    [JsonPropertyName("model"), JsonIgnore(Condition = JsonIgnoreCondition.Never)] public string? Model { get; init; }
    [JsonPropertyName("architecture"), JsonIgnore(Condition = JsonIgnoreCondition.Never)] public string? Architecture { get; init; }
    [JsonPropertyName("memory")] public required AcceleratorMemory Memory { get; init; }
    [JsonPropertyName("driver"), JsonIgnore(Condition = JsonIgnoreCondition.Never)] public DriverInfo? Driver { get; init; }
    [JsonPropertyName("power_limit_watts"), JsonIgnore(Condition = JsonIgnoreCondition.Never)] public double? PowerLimitWatts { get; init; }
}

internal sealed record AcceleratorMemory(
    [property: JsonPropertyName("kind")] string Kind,
    [property: JsonPropertyName("capacity_bytes"), JsonIgnore(Condition = JsonIgnoreCondition.Never)] long? CapacityBytes);

internal sealed record DriverInfo(
    [property: JsonPropertyName("name"), JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Name,
    [property: JsonPropertyName("version"), JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Version);
