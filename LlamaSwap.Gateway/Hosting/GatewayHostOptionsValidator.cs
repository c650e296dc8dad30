using LlamaSwap.Core.Hosting;
using LlamaSwap.ServiceDefaults.Hosting;
using Microsoft.Extensions.Options;

namespace LlamaSwap.Gateway.Hosting;

internal sealed class GatewayHostOptionsValidator : IValidateOptions<GatewayHostOptions>
{
    public ValidateOptionsResult Validate(string? name, GatewayHostOptions options) => new SettingChecks()
        .HttpUrl(WiringEnvironment.SupervisorUrlKey, options.SupervisorUrl, required: true)
        .RedisConnectionString(WiringEnvironment.RedisConnectionKey, options.RedisConnectionString)
        .ExistingFile(WiringEnvironment.ConfigPathKey, options.ConfigPath)
        .ExistingDirectory(WiringEnvironment.ConfigDirKey, options.ConfigDirectory)
        .Result();

}
