namespace LlamaSwap.Core.Hosting;

/// <summary>
/// Environment variables that wire the services together, named as Aspire names them so moving
/// the AppHost to Aspire.Hosting changes nothing in the services.
/// </summary>
public static class WiringEnvironment
{
    /// <summary>Path of the llama-swap YAML config every service reads.</summary>
    public const string ConfigPath = "LLAMASWAP_CONFIG";

    /// <summary>Directory of <c>*.yml</c>/<c>*.yaml</c> files merged after <see cref="ConfigPath"/> (reference 1.2).</summary>
    public const string ConfigDir = "LLAMASWAP_CONFIG_DIR";

    /// <summary>Redis connection string (configuration key <c>ConnectionStrings:redis</c>).</summary>
    public const string RedisConnection = "ConnectionStrings__redis";

    /// <summary>Base URL of the supervisor's HTTP API (configuration key <c>services:supervisor:http:0</c>).</summary>
    public const string SupervisorUrl = "services__supervisor__http__0";

    /// <summary>Base URL of the gateway (configuration key <c>services:gateway:http:0</c>).</summary>
    public const string GatewayUrl = "services__gateway__http__0";

    /// <summary>Directory for run-time files (pid records of spawned upstreams).</summary>
    public const string RunDirectory = "LLAMASWAP_RUN_DIR";

    /// <summary>
    /// The directory the user ran the launcher in (a service's own working directory is its project's
    /// under Aspire): where the auth proxy looks for a <c>config.json</c> of keys.
    /// </summary>
    public const string WorkDirectory = "LLAMASWAP_WORKDIR";

    /// <summary>Set to <c>1</c> by a launcher: the service stops itself when its parent process is gone.</summary>
    public const string ExitWithParent = "LLAMASWAP_EXIT_WITH_PARENT";

    public const string ConfigPathKey = "LLAMASWAP_CONFIG";

    public const string ConfigDirKey = "LLAMASWAP_CONFIG_DIR";
    public const string RedisConnectionKey = "ConnectionStrings:redis";
    public const string SupervisorUrlKey = "services:supervisor:http:0";
    public const string GatewayUrlKey = "services:gateway:http:0";
    public const string RunDirectoryKey = "LLAMASWAP_RUN_DIR";
}
