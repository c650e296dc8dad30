namespace LlamaSwap.Core.Configuration.Loading;

/// <summary>Collects every error and warning of one load, so a user sees all problems at once.</summary>
internal sealed class DiagnosticBag
{
    private readonly List<ConfigDiagnostic> _errors = [];
    private readonly List<ConfigDiagnostic> _warnings = [];

    public IReadOnlyList<ConfigDiagnostic> Errors => _errors;

    public IReadOnlyList<ConfigDiagnostic> Warnings => _warnings;

    public bool HasErrors => _errors.Count > 0;

    public void Error(string path, string message) => _errors.Add(new ConfigDiagnostic(path, message));

    public void Warning(string path, string message) => _warnings.Add(new ConfigDiagnostic(path, message));
}
