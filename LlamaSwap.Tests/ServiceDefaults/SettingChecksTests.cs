using LlamaSwap.ServiceDefaults.Hosting;

namespace LlamaSwap.Tests.ServiceDefaults;

public sealed class SettingChecksTests
{
    [Fact]
    public void EveryBadSetting_IsReported_NotOnlyTheFirst()
    {
        var result = new SettingChecks()
            .HttpUrl("services:supervisor:http:0", null, required: true)
            .RedisConnectionString("ConnectionStrings:redis", "127.0.0.1:6379,abortConnect=maybe")
            .ExistingFile("LLAMASWAP_CONFIG", "/nonexistent/config.yaml")
            .Positive("Gateway:HeartbeatSeconds", -2)
            .Result();

        Assert.True(result.Failed);
        var failures = result.Failures!.ToArray();
        Assert.Equal(4, failures.Length);
        Assert.Equal("services:supervisor:http:0 (services__supervisor__http__0) must be set to an absolute http(s) URL", failures[0]);
        Assert.StartsWith("ConnectionStrings:redis (ConnectionStrings__redis) is not a Redis connection string", failures[1]);
        Assert.Equal("LLAMASWAP_CONFIG names a file that does not exist: '/nonexistent/config.yaml'", failures[2]);
        Assert.Equal("Gateway:HeartbeatSeconds (Gateway__HeartbeatSeconds) must be greater than 0, got -2", failures[3]);
    }

    [Fact]
    public void GoodOrUnsetOptionalSettings_Succeed()
    {
        var result = new SettingChecks()
            .HttpUrl("services:gateway:http:0", null, required: false)
            .HttpUrl("services:supervisor:http:0", "http://127.0.0.1:8090", required: true)
            .RedisConnectionString("ConnectionStrings:redis", "127.0.0.1:6379")
            .RedisConnectionString("ConnectionStrings:redis", null)
            .Positive("AuthProxy:Limits:KeepAliveTimeout", TimeSpan.FromSeconds(1))
            .Result();

        Assert.True(result.Succeeded);
    }

    [Fact]
    public void AuthProxyLimits_GracePeriodOfOneSecondOrLess_IsRefusedAtStartNotACrash()
    {
        var validator = new LlamaSwap.AuthProxy.Hardening.AuthProxyLimitsValidator();

        var tooShort = validator.Validate(null, new LlamaSwap.AuthProxy.Hardening.AuthProxyLimits { MinRequestBodyGracePeriod = TimeSpan.FromSeconds(1) });
        var fine = validator.Validate(null, new LlamaSwap.AuthProxy.Hardening.AuthProxyLimits());

        Assert.True(tooShort.Failed);
        Assert.Contains("MinRequestBodyGracePeriod", Assert.Single(tooShort.Failures!), StringComparison.Ordinal);
        Assert.True(fine.Succeeded);
    }
}
