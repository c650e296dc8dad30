using LlamaSwap.Core.Configuration.Reporting;
using LlamaSwap.Core.Hosting;

namespace LlamaSwap.Gateway.Configuration;

/// <summary>Loads the llama-swap config named by <c>LLAMASWAP_CONFIG</c> and/or <c>LLAMASWAP_CONFIG_DIR</c> once, at start-up.</summary>
internal static partial class GatewayConfigLoader
{
    /// <summary>
    /// The config, before the gateway is built (its endpoints read the config while they are mapped);
    /// null when there is none or it has errors, which are then on standard error. The supervisor
    /// lists the warnings of a config that loads (<see cref="ConfigDiagnosticsRole"/>).
    /// </summary>
    public static LoadedConfig? LoadAtStartup(string[] args)
    {
        // The same sources WebApplication reads LLAMASWAP_CONFIG from: the environment and the command line.
        var configuration = new ConfigurationBuilder().AddEnvironmentVariables().AddCommandLine(args).Build();
        if (ConfigLocation.From(configuration) is not { } location)
        {
            Console.Error.WriteLine(
                $"gateway: no config: set {WiringEnvironment.ConfigPath} to a llama-swap YAML file and/or {WiringEnvironment.ConfigDir} to a directory of them");
            return null;
        }

        return StartupConfig.Load(location, ConfigDiagnosticsRole.Quiet, Console.Error) is { } config
            ? new LoadedConfig(new ConfigHolder(config), location.ToString())
            : null;
    }

    /// <summary>Once the gateway's logging exists: the line <c>/logs/stream/proxy</c> starts with, as llama-swap's does.</summary>
    public static void LogLoaded(ILoggerFactory loggers, LoadedConfig loaded)
        => Log.ConfigLoaded(loggers.CreateLogger(typeof(GatewayConfigLoader)), loaded.Location, loaded.Holder.Current.Models.Count);

    internal sealed record LoadedConfig(ConfigHolder Holder, string Location);

    private static partial class Log
    {
        // 1 is retired (config warnings: the supervisor lists them).
        [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Loaded config {Path} with {ModelCount} models")]
        public static partial void ConfigLoaded(ILogger logger, string path, int modelCount);
    }
}
