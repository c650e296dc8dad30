using LlamaSwap.ServiceDefaults.Hosting;
using Microsoft.Extensions.Options;

namespace LlamaSwap.AuthProxy.Hardening;

/// <summary>Every limit must be positive: a zero or negative one would refuse every request or connection.</summary>
internal sealed class AuthProxyLimitsValidator : IValidateOptions<AuthProxyLimits>
{
    public ValidateOptionsResult Validate(string? name, AuthProxyLimits options)
    {
        var checks = new SettingChecks()
            .Positive(Key(nameof(AuthProxyLimits.MaxRequestBodySize)), options.MaxRequestBodySize)
            .Positive(Key(nameof(AuthProxyLimits.MaxRequestHeaderCount)), options.MaxRequestHeaderCount)
            .Positive(Key(nameof(AuthProxyLimits.MaxRequestHeadersTotalSize)), options.MaxRequestHeadersTotalSize)
            .Positive(Key(nameof(AuthProxyLimits.MaxRequestLineSize)), options.MaxRequestLineSize)
            .Positive(Key(nameof(AuthProxyLimits.RequestHeadersTimeout)), options.RequestHeadersTimeout)
            .Positive(Key(nameof(AuthProxyLimits.KeepAliveTimeout)), options.KeepAliveTimeout)
            .Positive(Key(nameof(AuthProxyLimits.BurstHeadersTimeout)), options.BurstHeadersTimeout)
            .Positive(Key(nameof(AuthProxyLimits.MinRequestBodyBytesPerSecond)), options.MinRequestBodyBytesPerSecond)
            .Longer(Key(nameof(AuthProxyLimits.MinRequestBodyGracePeriod)), options.MinRequestBodyGracePeriod, TimeSpan.FromSeconds(1));
        if (options.MaxConcurrentConnections is { } connections)
        {
            checks.Positive(Key(nameof(AuthProxyLimits.MaxConcurrentConnections)), connections);
        }

        if (options.MaxPendingConnectionsPerClient is { } pending)
        {
            checks.Positive(Key(nameof(AuthProxyLimits.MaxPendingConnectionsPerClient)), pending);
        }

        if (options.MaxConnectionsPerClient is { } perClient)
        {
            checks.Positive(Key(nameof(AuthProxyLimits.MaxConnectionsPerClient)), perClient);
        }

        return checks.Result();
    }

    private static string Key(string property) => $"{AuthProxyLimits.SectionName}:{property}";
}
