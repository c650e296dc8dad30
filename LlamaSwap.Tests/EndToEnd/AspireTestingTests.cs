using System.Text;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using LlamaSwap.Core.Processes;
using LlamaSwap.Tests.Infrastructure;

namespace LlamaSwap.Tests.EndToEnd;

/// <summary>
/// The real AppHost under Aspire.Hosting.Testing: its own Main builds the app model, the testing
/// host runs it through DCP (no dashboard), and the test drives it through Aspire's own API.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class AspireTestingTests
{
    [Fact]
    public async Task RealAppHost_ServesTheDemoThroughTheFrontDoor_SwapsInItsGroup_AndStopsItsUpstreams()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));

        // The demo's ports are fixed (startPort 5800): an earlier test's demo upstream still being
        // stopped would hold them, and the supervisor rightly refuses a port another process holds.
        await Eventually.TrueAsync(
            () => !ProcessTree.WithCommandLine("--model demo-").Any(), "no earlier demo upstream holds the demo ports", TimeSpan.FromSeconds(30));
        string[] args = ["--port", FreePorts.Next().ToString(), "--proxy-port", FreePorts.Next().ToString(), "--dashboard-port", FreePorts.Block(3).ToString()];
        await using var builder = await DistributedApplicationTestingBuilder.CreateAsync(typeof(LlamaSwap.AppHost.Program), args, timeout.Token);
        await using var app = await builder.BuildAsync(timeout.Token);
        await app.StartAsync(timeout.Token);
        await app.ResourceNotifications.WaitForResourceHealthyAsync("authproxy", timeout.Token);

        using var frontDoor = app.CreateHttpClient("authproxy");
        Assert.Equal("OK", await frontDoor.GetStringAsync("/health", timeout.Token));
        foreach (var model in new[] { "demo-small", "demo-medium" })
        {
            using var response = await frontDoor.PostAsync("/v1/chat/completions", new StringContent(
                $$"""{"model":"{{model}}","messages":[{"role":"user","content":"hello"}]}""", Encoding.UTF8, "application/json"), timeout.Token);
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync(timeout.Token));
            Assert.Contains(model, await response.Content.ReadAsStringAsync(timeout.Token), StringComparison.Ordinal);
        }

        // demo-medium swapped demo-small out (one exclusive group): only its upstream runs.
        using var gateway = app.CreateHttpClient("gateway");
        var running = await gateway.GetStringAsync("/running", timeout.Token);
        Assert.Contains("demo-medium", running, StringComparison.Ordinal);
        Assert.DoesNotContain("demo-small", running, StringComparison.Ordinal);
        var upstream = Assert.Single(ProcessTree.WithCommandLine("--model demo-medium"));

        await app.StopAsync(timeout.Token);
        await Eventually.TrueAsync(() => !ProcFs.IsAlive(upstream), "stopping the app stops the model's upstream", TimeSpan.FromSeconds(30));
    }
}
