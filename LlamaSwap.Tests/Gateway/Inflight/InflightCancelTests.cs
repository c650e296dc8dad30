using System.Net;
using System.Text;
using System.Text.Json;
using LlamaSwap.Gateway.Inflight;
using LlamaSwap.Tests.Gateway.Support;

namespace LlamaSwap.Tests.Gateway.Inflight;

/// <summary><c>POST /api/inflight/{id}/cancel</c> (reference 2.3).</summary>
public sealed class InflightCancelTests
{
    [Fact]
    public async Task Cancel_InFlightRequest_AbortsItAndTheUpstreamCall()
    {
        await using var harness = await GatewayHarness.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = new StringContent("""{"model":"llama"}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-Test-Mode", "hang");
        using var response = await harness.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var id = response.Headers.GetValues(InflightRequests.IdHeader).Single();

        using var cancel = await harness.Client.PostAsync($"/api/inflight/{id}/cancel", null);

        Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
        Assert.Equal("ok", JsonDocument.Parse(await cancel.Content.ReadAsStringAsync()).RootElement.GetProperty("msg").GetString());
        await harness.Upstream.RequestAborted.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await Assert.ThrowsAnyAsync<Exception>(async () => await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("999999")]
    [InlineData("not-a-number")]
    public async Task Cancel_UnknownId_Is404(string id)
    {
        await using var harness = await GatewayHarness.StartAsync();

        using var response = await harness.Client.PostAsync($"/api/inflight/{id}/cancel", null);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("inflight request not found", await response.Content.ReadAsStringAsync());
    }
}
