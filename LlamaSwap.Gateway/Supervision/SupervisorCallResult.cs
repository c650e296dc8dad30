namespace LlamaSwap.Gateway.Supervision;

/// <summary>The outcome of a supervisor call that carries no payload (unload).</summary>
/// <param name="StatusCode">The supervisor's status, or 502 when it could not be reached.</param>
internal sealed record SupervisorCallResult(int StatusCode, string? Message, string? Code)
{
    public bool Succeeded => StatusCode is >= 200 and < 300;
}
