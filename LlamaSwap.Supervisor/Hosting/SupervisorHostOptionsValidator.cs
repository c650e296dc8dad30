using LlamaSwap.Core.Hosting;
using LlamaSwap.ServiceDefaults.Hosting;
using Microsoft.Extensions.Options;

namespace LlamaSwap.Supervisor.Hosting;

internal sealed class SupervisorHostOptionsValidator : IValidateOptions<SupervisorHostOptions>
{
    public ValidateOptionsResult Validate(string? name, SupervisorHostOptions options)
    {
        var checks = new SettingChecks()
            .RedisConnectionString(WiringEnvironment.RedisConnectionKey, options.RedisConnectionString)
            .ExistingFile(WiringEnvironment.ConfigPathKey, options.ConfigPath)
            .ExistingDirectory(WiringEnvironment.ConfigDirKey, options.ConfigDirectory);
        if (options.GatewayTimeoutSeconds is { } seconds)
        {
            checks.Positive(SupervisorHostOptions.GatewayTimeoutKey, seconds);
        }

        return checks.Result();
    }
}
