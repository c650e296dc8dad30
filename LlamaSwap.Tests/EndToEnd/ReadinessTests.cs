using System.Net;
using System.Text.Json;
using LlamaSwap.Tests.Infrastructure;

namespace LlamaSwap.Tests.EndToEnd;

/// <summary>
/// <c>GET /ready</c> on the real stack: every service reports Redis, the gateway its supervisor and
/// the auth proxy its gateway; a dependency that goes down turns the answer into 503 naming it,
/// while <c>/health</c> (liveness, llama-swap's) stays 200 <c>OK</c>.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class ReadinessTests
{
    private static string Yaml => $$$"""
        healthCheckTimeout: 30
        startPort: {{startPort}}
        apiKeys:
          - "{{{LlamaSwapStack.ApiKey}}}"
        models:
          ready:
            cmd: {{{LlamaSwapStack.UpstreamCommand("ready")}}}
        """;

    [Fact]
    public async Task Ready_ReportsRedisAndTheNextHop_And503WhenOneIsDown()
    {
        await using var stack = await LlamaSwapStack.StartAsync(Yaml, portCount: 2);

        await Eventually.TrueAsync(async () => (await ReadyAsync(stack, stack.Supervisor.Url)).Status == HttpStatusCode.OK, "the supervisor is ready");
        var gateway = await ReadyAsync(stack, stack.Gateway.Url);
        var proxy = await ReadyAsync(stack, stack.FrontDoor);
        Assert.Equal(HttpStatusCode.OK, gateway.Status);
        Assert.Equal(HttpStatusCode.OK, proxy.Status);
        Assert.Equal(["redis", "supervisor"], gateway.Checks.Keys.Order());
        Assert.Equal(["gateway", "redis"], proxy.Checks.Keys.Order());
        Assert.StartsWith("ping", gateway.Checks["redis"].Description);

        await stack.Redis.StopAsync();
        await Eventually.TrueAsync(
            async () => await ReadyAsync(stack, stack.Gateway.Url) is { Status: HttpStatusCode.ServiceUnavailable } r && r.Checks["redis"].Status == "Unhealthy",
            "the gateway is not ready without Redis");
        Assert.Equal("OK", await stack.Client.GetStringAsync(stack.Gateway.Url + "/health"));

        await stack.Redis.RestartAsync();
        await Eventually.TrueAsync(
            async () => (await ReadyAsync(stack, stack.Gateway.Url)).Status == HttpStatusCode.OK && (await ReadyAsync(stack, stack.FrontDoor)).Status == HttpStatusCode.OK,
            "the gateway and the auth proxy are ready again once Redis is back (each reconnects on its own)",
            TimeSpan.FromSeconds(30));

        await stack.Gateway.StopAsync();
        var down = await ReadyAsync(stack, stack.FrontDoor);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, down.Status);
        Assert.Equal("Unhealthy", down.Checks["gateway"].Status);
        Assert.Equal("Healthy", down.Checks["redis"].Status);
        Assert.Equal("OK", await stack.Client.GetStringAsync(stack.FrontDoor + "/health"));
    }

    private static async Task<(HttpStatusCode Status, Dictionary<string, (string Status, string? Description)> Checks)> ReadyAsync(LlamaSwapStack stack, string baseUrl)
    {
        using var response = await stack.Client.GetAsync(baseUrl + "/ready");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var checks = body.RootElement.GetProperty("checks").EnumerateObject().ToDictionary(
            c => c.Name, c => (c.Value.GetProperty("status").GetString()!, c.Value.GetProperty("description").GetString()));
        Assert.Equal(response.IsSuccessStatusCode ? "Healthy" : "Unhealthy", body.RootElement.GetProperty("status").GetString());
        return (response.StatusCode, checks);
    }
}
