using LlamaSwap.Core.Configuration;

namespace LlamaSwap.Tests.Configuration;

public sealed class ObservabilitySettingsTests
{
    [Fact]
    public void LoadYaml_NothingSet_ReferenceDefaults()
    {
        var observability = ConfigAssert.Loads(string.Empty).Observability;

        Assert.Equal(1000, observability.MetricsMaxInMemory);
        Assert.Equal(5, observability.CaptureBufferMegabytes);
        Assert.Equal(5L * 1024 * 1024, observability.CaptureBufferBytes);
        Assert.Equal(["X-Session-ID", "X-Litellm-Session-Id"], observability.SessionIdHeaders);
        Assert.False(observability.PerformanceDisabled);
        Assert.Equal(TimeSpan.FromSeconds(5), observability.PerformanceEvery);
    }

    [Theory]
    [InlineData("0", 1000)]
    [InlineData("-3", 1000)]
    [InlineData("25", 25)]
    public void LoadYaml_MetricsMaxInMemory_NonPositiveMeansDefault(string value, int expected)
        => Assert.Equal(expected, ConfigAssert.Loads($"metricsMaxInMemory: {value}").Observability.MetricsMaxInMemory);

    [Fact]
    public void LoadYaml_CaptureBufferZero_DisablesCaptures()
        => Assert.Equal(0, ConfigAssert.Loads("captureBuffer: 0").Observability.CaptureBufferMegabytes);

    [Fact]
    public void LoadYaml_CaptureBufferNegative_Rejected()
        => ConfigAssert.HasError(ConfigAssert.Fails("captureBuffer: -1"), "captureBuffer", "captureBuffer must be >= 0");

    [Fact]
    public void LoadYaml_SessionIdHeaders_TrimmedAndDeduplicatedIgnoringCase()
    {
        var config = ConfigAssert.Loads("""
            ui:
              activity:
                session_id: [" X-A ", "x-a", "X-B", ""]
            """);

        Assert.Equal(["X-A", "X-B"], config.Observability.SessionIdHeaders);
    }

    [Fact]
    public void LoadYaml_SessionIdHeadersEmptyList_DisablesTheColumn()
        => Assert.Empty(ConfigAssert.Loads("ui: {activity: {session_id: []}}").Observability.SessionIdHeaders);

    [Theory]
    [InlineData("15s", 15)]
    [InlineData("1m30s", 90)]
    [InlineData("1.5m", 90)]
    [InlineData("1h", 3600)]
    public void LoadYaml_PerformanceEvery_GoDurations(string every, int seconds)
        => Assert.Equal(TimeSpan.FromSeconds(seconds), ConfigAssert.Loads($"performance: {{every: {every}}}").Observability.PerformanceEvery);

    [Fact]
    public void LoadYaml_PerformanceEveryBelowFiveSeconds_Rejected()
        => ConfigAssert.HasError(ConfigAssert.Fails("performance: {every: 4s}"), "performance.every", "performance: every must be at least 5s");

    [Fact]
    public void LoadYaml_PerformanceEveryNotADuration_Rejected()
        => ConfigAssert.HasError(ConfigAssert.Fails("performance: {every: soon}"), "performance.every", "invalid duration \"soon\"");

    [Fact]
    public void LoadYaml_PerformanceDisabled_Read()
        => Assert.True(ConfigAssert.Loads("performance: {disabled: true}").Observability.PerformanceDisabled);

    [Fact]
    public void LoadYaml_UnknownUiKey_Warned()
        => ConfigAssert.HasWarning(ConfigLoader.LoadYaml("ui: {theme: dark}", ConfigAssert.NoEnvironment), "ui.theme", "unknown key");
}
