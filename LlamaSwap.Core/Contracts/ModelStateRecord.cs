using System.Text.Json.Serialization;

namespace LlamaSwap.Core.Contracts;

/// <summary>Lifecycle states of a local model (reference section 3.1).</summary>
public static class ModelStates
{
    public const string Stopped = "stopped";
    public const string Starting = "starting";
    public const string Ready = "ready";
    public const string Stopping = "stopping";
    public const string Shutdown = "shutdown";
}

/// <summary>What runs where: one model's state as published by a supervisor (Redis hash + events channel).</summary>
public sealed record ModelStateRecord
{
    public required string Model { get; init; }

    /// <summary>One of <see cref="ModelStates"/>.</summary>
    public required string State { get; init; }

    /// <summary>Upstream base URL.</summary>
    public required string Proxy { get; init; }

    /// <summary>Expanded command line.</summary>
    public required string Cmd { get; init; }

    public int? Pid { get; init; }

    /// <summary>When the model entered <see cref="State"/>.</summary>
    public DateTimeOffset Since { get; init; }

    /// <summary>Effective TTL seconds.</summary>
    public int Ttl { get; init; }

    public string? Name { get; init; }

    public string? Description { get; init; }

    /// <summary>Which supervisor owns the process (host name + pid), for multi-host later.</summary>
    public string Supervisor { get; init; } = "";

    /// <summary>How far the model files have loaded, while <see cref="ModelStates.Starting"/> and measurable; otherwise null (and absent from the JSON).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public LoadProgress? Progress { get; init; }
}
