namespace LlamaSwap.Gateway.Configuration;

/// <summary>Gateway settings from the <c>Gateway</c> configuration section.</summary>
internal sealed record GatewayOptions
{
    public const string SectionName = "Gateway";

    /// <summary>Largest request body buffered to find the model (bigger bodies get 413).</summary>
    public long MaxRequestBodyBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>Seconds between heartbeats to the supervisor; keep it well under the supervisor's gateway timeout (15 s).</summary>
    public double HeartbeatSeconds { get; init; } = 5;

    /// <summary>
    /// How long a request waits for an unreachable supervisor to come back (a restarted one is back
    /// within seconds) before it is answered 503 with <c>Retry-After</c>.
    /// </summary>
    public double SupervisorWaitSeconds { get; init; } = 5;
}
