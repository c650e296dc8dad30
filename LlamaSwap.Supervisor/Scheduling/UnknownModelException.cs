namespace LlamaSwap.Supervisor.Scheduling;

/// <summary>
/// A model id the scheduler has no model for. Callers pass real ids (the gateway resolves aliases
/// before it calls the supervisor), so the message names exactly what was asked for.
/// </summary>
internal sealed class UnknownModelException(string modelId) : Exception(MessageFor(modelId))
{
    /// <summary>llama-swap's text for a model that reached the local router unknown, with the id added.</summary>
    public static string MessageFor(string modelId) => $"no local server found for requested model \"{modelId}\"";
}
