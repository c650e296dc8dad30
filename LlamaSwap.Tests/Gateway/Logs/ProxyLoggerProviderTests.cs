using System.Text;
using LlamaSwap.Core.Configuration;
using LlamaSwap.Gateway.Logs;
using LlamaSwap.Tests.Infrastructure;
using Microsoft.Extensions.Logging;

namespace LlamaSwap.Tests.Gateway.Logs;

public sealed class ProxyLoggerProviderTests
{
    [Fact]
    public void Log_BelowTheConfiguredLevel_IsSkipped_UntilAReloadLowersIt()
    {
        var hub = new LogHub();
        hub.Apply(new LlamaSwapConfig { LogLevel = "info" });
        using var provider = new ProxyLoggerProvider(hub, new ManualTimeProvider());
        var logger = provider.CreateLogger("LlamaSwap.Test");

        logger.LogDebug("hidden");
        logger.LogInformation("shown");
        hub.Apply(new LlamaSwapConfig { LogLevel = "debug" });
        logger.LogDebug("now shown");

        Assert.Equal("[INFO] shown\n[DEBUG] now shown\n", Encoding.UTF8.GetString(hub.Proxy.GetHistory()));
    }

    [Fact]
    public void Log_WithTimeFormatAndException_IsOneTimestampedLine()
    {
        var hub = new LogHub();
        hub.Apply(new LlamaSwapConfig { LogTimeFormat = "rfc3339" });
        using var provider = new ProxyLoggerProvider(hub, new UtcClock());

        provider.CreateLogger("LlamaSwap.Test").LogError(new InvalidOperationException("boom"), "failed\nbadly");

        Assert.Equal("2026-01-01T00:00:00Z [ERROR] failed badly: boom\n", Encoding.UTF8.GetString(hub.Proxy.GetHistory()));
    }

    private sealed class UtcClock : TimeProvider
    {
        public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

        public override DateTimeOffset GetUtcNow() => new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    }
}
