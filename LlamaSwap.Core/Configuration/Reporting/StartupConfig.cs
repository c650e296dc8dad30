using LlamaSwap.Core.Hosting;

namespace LlamaSwap.Core.Configuration.Reporting;

/// <summary>
/// A service's first load of its config, before anything is built: what is wrong is written once,
/// plainly, to standard error (no logger exists yet), and a refused config ends the process with
/// <see cref="RefusedExitCode"/>.
/// </summary>
public static class StartupConfig
{
    /// <summary>
    /// The exit code of a service that refused its config (sysexits.h's <c>EX_CONFIG</c>). The AppHost
    /// does not restart a service that exits with it: it would only refuse the same files again.
    /// </summary>
    public const int RefusedExitCode = 78;

    /// <summary>
    /// The config, or null when it has errors: every error is then written with its location, after
    /// the warnings (an unknown key's warning often explains the error). A config that loads is
    /// written about only by the <see cref="ConfigDiagnosticsRole.Reporter"/>.
    /// </summary>
    public static LlamaSwapConfig? Load(ConfigLocation location, ConfigDiagnosticsRole role, TextWriter output)
        => Report(location.Load(), location.ToString(), role, output);

    internal static LlamaSwapConfig? Report(ConfigLoadResult loaded, string location, ConfigDiagnosticsRole role, TextWriter output)
    {
        if (loaded.Succeeded && role == ConfigDiagnosticsRole.Quiet)
        {
            return loaded.Config;
        }

        foreach (var warning in loaded.Warnings)
        {
            output.WriteLine($"config warning: {warning}");
        }

        if (loaded.Succeeded)
        {
            return loaded.Config;
        }

        output.WriteLine($"invalid config {location}: {loaded.Errors.Count} error(s); not starting");
        foreach (var error in loaded.Errors)
        {
            output.WriteLine($"  {error}");
        }

        output.Flush();
        return null;
    }
}
