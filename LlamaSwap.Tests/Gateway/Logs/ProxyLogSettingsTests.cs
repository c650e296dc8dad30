using LlamaSwap.Core.Configuration;
using LlamaSwap.Gateway.Logs;
using Microsoft.Extensions.Logging;

namespace LlamaSwap.Tests.Gateway.Logs;

public sealed class ProxyLogSettingsTests
{
    private static readonly DateTimeOffset Time = new(2026, 3, 4, 15, 6, 7, 890, TimeSpan.Zero);

    [Theory]
    [InlineData(LogLevel.Debug, "[DEBUG] hello\n")]
    [InlineData(LogLevel.Information, "[INFO] hello\n")]
    [InlineData(LogLevel.Warning, "[WARN] hello\n")]
    [InlineData(LogLevel.Error, "[ERROR] hello\n")]
    [InlineData(LogLevel.Critical, "[ERROR] hello\n")]
    public void Format_NoTimeFormat_IsLevelAndMessage(LogLevel level, string expected)
    {
        Assert.Equal(expected, ProxyLogSettings.Default.Format(Time, level, "hello"));
    }

    [Theory]
    [InlineData("rfc3339", "2026-03-04T15:06:07Z [INFO] hi\n")]
    [InlineData("RFC3339Nano", "2026-03-04T15:06:07.89Z [INFO] hi\n")]
    [InlineData("kitchen", "3:06PM [INFO] hi\n")]
    [InlineData("stamp", "Mar  4 15:06:07 [INFO] hi\n")]
    [InlineData("stampmilli", "Mar  4 15:06:07.890 [INFO] hi\n")]
    [InlineData("ansic", "Wed Mar  4 15:06:07 2026 [INFO] hi\n")]
    [InlineData("rfc1123z", "Wed, 04 Mar 2026 15:06:07 +0000 [INFO] hi\n")]
    [InlineData("rfc850", "Wednesday, 04-Mar-26 15:06:07 UTC [INFO] hi\n")]
    public void Format_GoLayoutName_PrefixesTheTime(string layout, string expected)
    {
        var settings = ProxyLogSettings.From(new LlamaSwapConfig { LogTimeFormat = layout });

        Assert.Equal(expected, settings.Format(Time, LogLevel.Information, "hi"));
    }

    [Fact]
    public void From_UnknownTimeFormat_HasNoTimestamp()
    {
        Assert.Null(ProxyLogSettings.From(new LlamaSwapConfig { LogTimeFormat = "iso-ish" }).Timestamp);
    }

    [Theory]
    [InlineData("debug", LogLevel.Debug)]
    [InlineData("WARN", LogLevel.Warning)]
    [InlineData("Error", LogLevel.Error)]
    [InlineData("info", LogLevel.Information)]
    [InlineData("verbose", LogLevel.Information)]
    public void ParseLevel_LlamaSwapNames_CaseInsensitive_UnknownIsInfo(string name, LogLevel expected)
    {
        Assert.Equal(expected, ProxyLogSettings.ParseLevel(name));
    }
}
