using LlamaSwap.Core.Configuration;
using LlamaSwap.Core.Hosting;

namespace LlamaSwap.Gateway.Configuration;

/// <summary>Loads the llama-swap config named by <c>LLAMASWAP_CONFIG</c> and/or <c>LLAMASWAP_CONFIG_DIR</c> once, at start-up.</summary>
internal static partial class GatewayConfigLoader
{
    public static ConfigHolder Load(IConfiguration configuration, ILogger logger)
    {
        var location = ConfigLocation.From(configuration)
            ?? throw new ConfigStartupException(
                [$"neither {WiringEnvironment.ConfigPath} nor {WiringEnvironment.ConfigDir} is set: one must name the llama-swap YAML config"]);
        var path = location.ToString();
        var result = location.Load();
        foreach (var warning in result.Warnings)
        {
            Log.ConfigWarning(logger, path, warning.ToString());
        }

        if (!result.Succeeded)
        {
            var errors = result.Errors.Select(e => e.ToString()).ToList();
            if (errors.Count == 0)
            {
                errors.Add($"{path}: the loader returned no configuration");
            }

            throw new ConfigStartupException(errors);
        }

        Log.ConfigLoaded(logger, path, result.Config!.Models.Count);
        return new ConfigHolder(result.Config);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "Config {Path}: {Warning}")]
        public static partial void ConfigWarning(ILogger logger, string path, string warning);

        [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Loaded config {Path} with {ModelCount} models")]
        public static partial void ConfigLoaded(ILogger logger, string path, int modelCount);
    }
}
