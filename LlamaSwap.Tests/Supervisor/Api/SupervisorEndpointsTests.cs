using System.Net;
using System.Net.Http.Json;
using LlamaSwap.Core.Configuration;
using LlamaSwap.Core.Contracts;
using LlamaSwap.Supervisor.Api;
using LlamaSwap.Supervisor.Processes;
using LlamaSwap.Supervisor.Scheduling;
using LlamaSwap.Tests.Gateway.Support;
using LlamaSwap.Tests.Supervisor.Scheduling;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace LlamaSwap.Tests.Supervisor.Api;

/// <summary>
/// The supervisor's internal API takes model ids as given: aliases are resolved once, by the
/// gateway, and a name the supervisor has no model for is a 404 that says which name it was.
/// </summary>
public sealed class SupervisorEndpointsTests : IAsyncLifetime
{
    private readonly SchedulerHarness _scheduler = new(SchedulerHarness.Config(
        [new GroupConfig { Id = GroupConfig.DefaultGroupId, Members = ["a"] }],
        model => model with { Aliases = ["fast"] }));

    private WebApplication? _app;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(_scheduler.Scheduler);
        builder.Services.AddSingleton(new UpstreamOutput(NullLogger<UpstreamOutput>.Instance, TimeProvider.System));
        _app = builder.Build();
        _app.MapSupervisorApi();
        await _app.StartAsync();
        _client = new HttpClient { BaseAddress = new Uri(LoopbackServer.BoundUrl(_app)) };
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        await _scheduler.DisposeAsync();
    }

    [Fact]
    public async Task Acquire_Alias_Is404NamingIt_AndStartsNothing()
    {
        using var response = await _client.PostAsJsonAsync(SupervisorApi.Acquire, new AcquireRequest("fast", "r1"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var error = await response.Content.ReadFromJsonAsync<SupervisorError>();
        Assert.Equal("no local server found for requested model \"fast\"", error?.Message);
        Assert.Equal(0, _scheduler.Factory.StartsOf("a"));
    }

    [Fact]
    public async Task Acquire_ModelId_IsGranted()
    {
        using var response = await _client.PostAsJsonAsync(SupervisorApi.Acquire, new AcquireRequest("a", "r1"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var lease = await response.Content.ReadFromJsonAsync<AcquireResponse>();
        Assert.Equal("http://127.0.0.1:5800", lease?.Upstream);
    }

    [Fact]
    public async Task UnloadModel_Alias_Is404NamingIt()
    {
        using var response = await _client.PostAsync($"{SupervisorApi.UnloadModel}/fast", null);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var error = await response.Content.ReadFromJsonAsync<SupervisorError>();
        Assert.Equal("no local server found for requested model \"fast\"", error?.Message);
    }

    [Fact]
    public async Task UnloadModel_ModelId_StopsIt()
    {
        using (var acquired = await _client.PostAsJsonAsync(SupervisorApi.Acquire, new AcquireRequest("a", "r1")))
        {
            var lease = await acquired.Content.ReadFromJsonAsync<AcquireResponse>();
            await _client.PostAsync($"{SupervisorApi.Release}/{lease!.LeaseId}", null);
        }

        using var response = await _client.PostAsync($"{SupervisorApi.UnloadModel}/a", null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(ModelStates.Stopped, _scheduler.StateOf("a"));
    }
}
