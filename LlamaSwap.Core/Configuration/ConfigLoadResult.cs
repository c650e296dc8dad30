namespace LlamaSwap.Core.Configuration;

/// <summary>Outcome of loading a config: the config when there are no errors, plus every error and warning found.</summary>
public sealed record ConfigLoadResult(
    LlamaSwapConfig? Config,
    IReadOnlyList<ConfigDiagnostic> Errors,
    IReadOnlyList<ConfigDiagnostic> Warnings)
{
    public bool Succeeded => Config is not null && Errors.Count == 0;
}
