namespace LlamaSwap.Supervisor.Processes;

/// <summary>Immutable description of an upstream process to run (built from a model's config).</summary>
internal sealed record ProcessSpec
{
    public required string ModelId { get; init; }

    /// <summary>argv; element 0 is the program.</summary>
    public required IReadOnlyList<string> Command { get; init; }

    /// <summary>Appended to the inherited environment.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Env { get; init; } = [];

    /// <summary>argv of cmdStop; <c>${PID}</c> is replaced at stop time. Null = SIGTERM to the process group.</summary>
    public IReadOnlyList<string>? StopCommand { get; init; }

    public required Uri Proxy { get; init; }

    /// <summary>Health path polled for HTTP 200; null = ready right after spawn.</summary>
    public string? CheckEndpoint { get; init; }

    public TimeSpan HealthCheckTimeout { get; init; } = TimeSpan.FromSeconds(120);
}
