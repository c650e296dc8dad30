using System.Net;
using System.Text.Json;
using LlamaSwap.Core.Contracts;
using LlamaSwap.Tests.Gateway.Support;

namespace LlamaSwap.Tests.Gateway.Upstream;

/// <summary><c>upstream.ignorePaths</c> on <c>/upstream/&lt;model&gt;/...</c> (reference 2.5 step 4).</summary>
public sealed class UpstreamIgnorePathsTests
{
    [Fact]
    public async Task IgnoredPath_ModelStopped_Returns409_WithoutAcquire()
    {
        await using var harness = await GatewayHarness.StartAsync(UpstreamTestConfig.OneModel());
        harness.Supervisor.States.Add(UpstreamTestConfig.State(ModelStates.Stopped, harness.Upstream.Url));

        using var response = await harness.Client.GetAsync("/upstream/m/assets/app.js");

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("model m is not loaded; path matches upstream.ignorePaths", body.RootElement.GetProperty("error").GetProperty("message").GetString());
        Assert.Empty(harness.Supervisor.Acquires);
    }

    [Fact]
    public async Task IgnoredPath_ModelReady_IsForwardedWithALease()
    {
        await using var harness = await GatewayHarness.StartAsync(UpstreamTestConfig.OneModel());
        harness.Supervisor.States.Add(UpstreamTestConfig.State(ModelStates.Ready, harness.Upstream.Url));

        using var response = await harness.Client.GetAsync("/upstream/m/favicon.ico");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("/favicon.ico", FakeUpstream.ParseEcho(await response.Content.ReadAsStringAsync()).GetProperty("path").GetString());
        Assert.Equal("m", Assert.Single(harness.Supervisor.Acquires).Model);
    }

    [Fact]
    public async Task PathNotIgnored_ModelStopped_AcquiresAsUsual()
    {
        await using var harness = await GatewayHarness.StartAsync(UpstreamTestConfig.OneModel());
        harness.Supervisor.States.Add(UpstreamTestConfig.State(ModelStates.Stopped, harness.Upstream.Url));

        using var response = await harness.Client.GetAsync("/upstream/m/v1/models");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("m", Assert.Single(harness.Supervisor.Acquires).Model);
    }

    [Fact]
    public async Task ConfiguredPatterns_ReplaceTheDefault()
    {
        var patterns = new[] { new System.Text.RegularExpressions.Regex("^/api/jobs$") };
        await using var harness = await GatewayHarness.StartAsync(url => UpstreamTestConfig.OneModel()(url) with { UpstreamIgnorePaths = patterns });
        harness.Supervisor.States.Add(UpstreamTestConfig.State(ModelStates.Starting, harness.Upstream.Url));

        using var jobs = await harness.Client.GetAsync("/upstream/m/api/jobs?limit=1");
        using var script = await harness.Client.GetAsync("/upstream/m/app.js");

        Assert.Equal(HttpStatusCode.Conflict, jobs.StatusCode);
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        Assert.Single(harness.Supervisor.Acquires);
    }
}
