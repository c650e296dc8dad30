using LlamaSwap.Core.Security;
using System.Net;
using System.Text.Json;
using LlamaSwap.Core.Configuration;
using LlamaSwap.Core.Contracts;
using LlamaSwap.Tests.Gateway.Metrics;
using LlamaSwap.Tests.Gateway.Support;
using LlamaSwap.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace LlamaSwap.Tests.Gateway.Usage;

/// <summary>
/// A real in-process gateway: requests carrying the proxy's key-name header (plain JSON and SSE)
/// show up in <c>GET /api/usage</c> and in the per-key Prometheus counters. In the metrics
/// collection: every gateway in the process exports same-named meters (see MetricsEndpointTests).
/// </summary>
[Collection(MetricsEndpointCollection.Name)]
public sealed class UsageApiTests
{
    private const string JsonBody = """{"choices":[],"usage":{"prompt_tokens":11,"completion_tokens":7}}""";
    private const string SseBody = "data: {\"choices\":[{\"delta\":{\"content\":\"hi\"}}]}\n\ndata: {\"choices\":[],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":5}}\n\ndata: [DONE]\n\n";

    [Fact]
    public async Task ModelRequests_AreAttributedToTheKeyHeader_InApiUsageAndPrometheus()
    {
        var (upstream, upstreamUrl) = await LoopbackServer.StartAsync(app => app.Run(async context =>
        {
            var stream = context.Request.Headers["X-Test-Stream"] == "1";
            context.Response.ContentType = stream ? "text/event-stream" : "application/json";
            await context.Response.WriteAsync(stream ? SseBody : JsonBody);
        }));
        await using var _ = upstream;
        await using var harness = await GatewayHarness.StartAsync();
        harness.Supervisor.OnAcquire = (_, _) => Task.FromResult<IResult?>(
            Results.Json(new AcquireResponse($"lease-{Guid.NewGuid():N}", upstreamUrl, 0, 0)));
        var key = $"team-{Guid.NewGuid():N}";

        await ChatAsync(harness, key, stream: false);
        await ChatAsync(harness, key, stream: true);
        await ChatAsync(harness, keyName: null, stream: false);

        var day = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        JsonElement row = default;
        await Eventually.TrueAsync(async () =>
        {
            using var document = JsonDocument.Parse(await harness.Client.GetStringAsync($"/api/usage?key={key}"));
            var usage = document.RootElement.GetProperty("usage");
            if (usage.GetArrayLength() == 1 && usage[0].GetProperty("requests").GetInt64() == 2)
            {
                row = usage[0].Clone();
                Assert.Equal(day, document.RootElement.GetProperty("day").GetString());
                return true;
            }

            return false;
        }, "both requests of the key are in /api/usage");

        Assert.Equal(key, row.GetProperty("key").GetString());
        Assert.Equal("llama", row.GetProperty("model").GetString());
        Assert.Equal(14, row.GetProperty("input_tokens").GetInt64());
        Assert.Equal(12, row.GetProperty("output_tokens").GetInt64());
        await Eventually.TrueAsync(
            async () => (await harness.Client.GetStringAsync("/api/usage?key=-")).Contains("\"key\":\"-\"", StringComparison.Ordinal),
            "the request without a key is attributed to -");

        var metrics = PrometheusText.Parse(await harness.Client.GetStringAsync("/metrics"));
        Assert.Equal(2, metrics.Value("llamaswap_key_requests_total", ("key", key), ("model", "llama")));
        Assert.Equal(14, metrics.Value("llamaswap_key_tokens_input_total", ("key", key), ("model", "llama")));
        Assert.Equal(12, metrics.Value("llamaswap_key_tokens_output_total", ("key", key), ("model", "llama")));
    }

    [Fact]
    public async Task ApiUsage_WithABadDay_Answers400()
    {
        await using var harness = await GatewayHarness.StartAsync();

        using var response = await harness.Client.GetAsync("/api/usage?day=yesterday");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    private static async Task ChatAsync(GatewayHarness harness, string? keyName, bool stream)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = new StringContent($$"""{"model":"llama","stream":{{(stream ? "true" : "false")}},"messages":[]}""", System.Text.Encoding.UTF8, "application/json"),
        };
        if (keyName is not null)
        {
            request.Headers.Add(KeyClaimSigner.HeaderName, GatewayHarness.Claim(keyName, "POST"));
        }

        if (stream)
        {
            request.Headers.Add("X-Test-Stream", "1");
        }

        using var response = await harness.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await response.Content.ReadAsStringAsync();
    }
}
