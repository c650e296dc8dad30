using System.Diagnostics;
using System.Net;
using System.Text;
using LlamaSwap.Core.Configuration;
using LlamaSwap.Tests.Gateway.Support;
using LlamaSwap.Tests.Gateway.Upstream;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace LlamaSwap.Tests.Gateway.Anthropic;

/// <summary>Translated Anthropic requests use the model's own <c>timeouts</c>, like every other request to it.</summary>
public sealed class AnthropicTimeoutsTests
{
    [Fact]
    public async Task OpenAiOnlyModel_ResponseHeaderTimeout_AppliesToTheTranslatedCall()
    {
        var (slow, slowUrl) = await LoopbackServer.StartAsync(app => app.Map("/{**path}", (RequestDelegate)(async context =>
        {
            // Headers that never come in time.
            await Task.Delay(TimeSpan.FromSeconds(4), context.RequestAborted);
            await context.Response.WriteAsync("{}");
        })));
        await using var _ = slow;
        await using var harness = await GatewayHarness.StartAsync(UpstreamTestConfig.OneModel(m => m with
        {
            OpenAiOnly = true,
            Timeouts = new UpstreamTimeouts { ResponseHeaderSeconds = 1 },
        }));
        UpstreamTestConfig.LeaseOn(harness.Supervisor, new Uri(slowUrl));

        var clock = Stopwatch.StartNew();
        using var response = await harness.Client.PostAsync("/v1/messages", new StringContent(
            """{"model":"m","max_tokens":10,"messages":[{"role":"user","content":"hi"}]}""", Encoding.UTF8, "application/json"));
        clock.Stop();

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), $"answered after {clock.Elapsed}: the model's 1 s response-header timeout was not applied");
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("\"type\":\"error\"", body);
        Assert.Contains("timeout awaiting response headers after 1s", body);
    }
}
