using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using LlamaSwap.Tests.Gateway.Support;
using Microsoft.AspNetCore.Http;

namespace LlamaSwap.Tests.Gateway.Supervision;

/// <summary>A supervisor that cannot be reached (crashed, restarting) while a request acquires a lease.</summary>
public sealed class SupervisorUnreachableTests
{
    private static StringContent Chat => new("""{"model":"llama"}""", Encoding.UTF8, "application/json");

    [Fact]
    public async Task SupervisorDown_Is503WithRetryAfter_OnceTheBoundedWaitIsOver()
    {
        await using var harness = await GatewayHarness.StartAsync(extraArgs:
        [
            // Nothing listens on port 1: every connect is refused.
            "--services:supervisor:http:0=http://127.0.0.1:1",
            "--Gateway:SupervisorWaitSeconds=0.5",
        ]);

        var clock = Stopwatch.StartNew();
        using var response = await harness.Client.PostAsync("/v1/chat/completions", Chat);
        var elapsed = clock.Elapsed;

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(2), response.Headers.RetryAfter?.Delta);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var error = body.RootElement.GetProperty("error");
        Assert.Equal("service_unavailable", error.GetProperty("code").GetString());
        Assert.StartsWith("supervisor unavailable: ", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.InRange(elapsed, TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task SupervisorDropsTheAcquire_TheGatewayAsksAgain_AndServes()
    {
        await using var harness = await GatewayHarness.StartAsync();
        var calls = 0;
        harness.Supervisor.OnAcquire = (_, context) =>
        {
            if (Interlocked.Increment(ref calls) > 2)
            {
                return Task.FromResult<IResult?>(null);
            }

            // What a supervisor killed mid-long-poll looks like from the gateway: the connection drops.
            context.Abort();
            return Task.FromResult<IResult?>(Results.Empty);
        };

        using var response = await harness.Client.PostAsync("/v1/chat/completions", Chat);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(3, harness.Supervisor.Acquires.Count);
        Assert.Single(harness.Supervisor.Acquires.Select(a => a.RequestId).Distinct());
    }
}
