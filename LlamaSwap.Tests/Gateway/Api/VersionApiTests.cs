using System.Net;
using System.Text.Json;
using LlamaSwap.Tests.Gateway.Support;

namespace LlamaSwap.Tests.Gateway.Api;

public sealed class VersionApiTests
{
    [Fact]
    public async Task Version_HasLlamaSwapsShape()
    {
        await using var harness = await GatewayHarness.StartAsync();

        using var response = await harness.Client.GetAsync("/api/version");
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["version", "commit", "build_date"], body.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Matches(@"^\d+\.\d+\.\d+", body.RootElement.GetProperty("version").GetString());
        Assert.True(DateTime.TryParse(body.RootElement.GetProperty("build_date").GetString(), out _));
    }
}
