using LlamaSwap.Core.Hosting;
using LlamaSwap.ServiceDefaults.Hosting;
using Microsoft.Extensions.Options;

namespace LlamaSwap.AuthProxy.Hosting;

internal sealed class AuthProxyHostOptionsValidator : IValidateOptions<AuthProxyHostOptions>
{
    public ValidateOptionsResult Validate(string? name, AuthProxyHostOptions options) => new SettingChecks()
        .HttpUrl(WiringEnvironment.GatewayUrlKey, options.GatewayUrl, required: false)
        .RedisConnectionString(WiringEnvironment.RedisConnectionKey, options.RedisConnectionString)
        .Result();
}
