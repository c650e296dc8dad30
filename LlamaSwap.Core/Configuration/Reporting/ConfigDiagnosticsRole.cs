namespace LlamaSwap.Core.Configuration.Reporting;

/// <summary>
/// Who tells the user what is wrong with the config. Every service loads the same files, so if each
/// listed what it found the user would read every problem once per service. The supervisor runs in
/// every deployment and is the first to load the config, so it is the <see cref="Reporter"/>; the
/// gateway and the auth proxy are <see cref="Quiet"/>.
/// </summary>
public enum ConfigDiagnosticsRole
{
    /// <summary>Lists the warnings, and every error of a config it refuses (the supervisor).</summary>
    Reporter,

    /// <summary>
    /// Lists warnings and errors only of a config it refuses at start-up (it is the one that stops, and
    /// it may start alone, after a crash); a refused reload is one line that points to the supervisor.
    /// </summary>
    Quiet,
}
