using LlamaSwap.ServiceDefaults.Hosting;
using Microsoft.Extensions.Options;

namespace LlamaSwap.Gateway.Configuration;

internal sealed class GatewayOptionsValidator : IValidateOptions<GatewayOptions>
{
    public ValidateOptionsResult Validate(string? name, GatewayOptions options) => new SettingChecks()
        .Positive($"{GatewayOptions.SectionName}:{nameof(GatewayOptions.MaxRequestBodyBytes)}", options.MaxRequestBodyBytes)
        .Positive($"{GatewayOptions.SectionName}:{nameof(GatewayOptions.HeartbeatSeconds)}", options.HeartbeatSeconds)
        .Result();
}
