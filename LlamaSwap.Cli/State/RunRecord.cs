using System.Text.Json.Serialization;

namespace LlamaSwap.Cli.State;

/// <summary>A running launcher, as <c>status</c> and <c>stop</c> find it.</summary>
internal sealed record RunRecord
{
    public required int LauncherPid { get; init; }

    public required string FrontDoor { get; init; }

    public required string Gateway { get; init; }

    public required string Config { get; init; }

    /// <summary>The PEM certificate of an HTTPS front door, so <c>status</c> and <c>smoke</c> can trust it.</summary>
    public string? TlsCertFile { get; init; }

    public required DateTimeOffset StartedAt { get; init; }

    public required DateTimeOffset ReadyAt { get; init; }

    /// <summary>What the launcher printed once ready; a <c>--bg</c> start shows it to its caller.</summary>
    public required string Banner { get; init; }

    /// <summary>The processes the launcher started, by name (redis-server included), for <c>status</c> and leftovers.</summary>
    public Dictionary<string, int> Processes { get; init; } = [];

    /// <summary>Each process's start time (clock ticks after boot): with the pid, it tells that process from a later one given the same pid.</summary>
    public Dictionary<string, ulong> StartTimes { get; init; } = [];
}

[JsonSerializable(typeof(RunRecord))]
[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
internal sealed partial class RunRecordJson : JsonSerializerContext;
