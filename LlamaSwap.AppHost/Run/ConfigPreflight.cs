using LlamaSwap.AppHost.Cli;
using LlamaSwap.Core.Configuration.Reporting;
using LlamaSwap.Core.Hosting;

namespace LlamaSwap.AppHost.Run;

/// <summary>
/// The given config, checked before anything starts. A config with errors is listed once, here, and
/// nothing is started: left to the services, the supervisor would list it and exit while the gateway
/// and the auth proxy wait for it to become healthy, and Aspire does not end a start whose resources
/// still wait. A config that loads is the supervisor's to report (its warnings), so this says nothing.
/// </summary>
internal static class ConfigPreflight
{
    /// <summary>False when the config has errors (written to standard error); the demo config is ours and not checked.</summary>
    public static bool Accepts(RunOptions options, TextWriter output)
        => options.ConfigPath is null && options.ConfigDir is null
            || StartupConfig.Load(new ConfigLocation(options.ConfigPath, options.ConfigDir), ConfigDiagnosticsRole.Quiet, output) is not null;
}
