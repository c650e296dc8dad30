using LlamaSwap.ServiceDefaults.Telemetry.Prometheus;

namespace LlamaSwap.Tests.ServiceDefaults;

public sealed class PrometheusNamesTests
{
    [Theory]
    [InlineData("llamaswap.requests", "{request}", true, "llamaswap_requests_total")]
    [InlineData("llamaswap.time_to_first_token", "s", false, "llamaswap_time_to_first_token_seconds")]
    [InlineData("http.server.request.duration", "s", false, "http_server_request_duration_seconds")]
    [InlineData("llamaswap_network_bytes", "By", true, "llamaswap_network_bytes_total")]
    [InlineData("llamaswap_memory_used_bytes", "By", false, "llamaswap_memory_used_bytes")]
    [InlineData("llamaswap_cpu_util_percent", "%", false, "llamaswap_cpu_util_percent")]
    [InlineData("already_total", null, true, "already_total")]
    [InlineData("9lives-x", null, false, "_9lives_x")]
    [InlineData("ratio", "1", false, "ratio")]
    public void MetricName_FollowsPrometheusConventions(string instrument, string? unit, bool counter, string expected)
        => Assert.Equal(expected, PrometheusNames.MetricName(instrument, unit, counter));

    [Fact]
    public void LabelName_ReplacesDotsAndDashes()
        => Assert.Equal("gen_ai_request_model", PrometheusNames.LabelName("gen_ai.request-model"));
}
