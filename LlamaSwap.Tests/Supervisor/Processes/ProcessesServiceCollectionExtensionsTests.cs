using LlamaSwap.Supervisor.Processes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LlamaSwap.Tests.Supervisor.Processes;

public sealed class ProcessesServiceCollectionExtensionsTests
{
    [Fact]
    public void AddUpstreamProcesses_ResolvesTheFactoryAndReadsTheRunDirectory()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["LLAMASWAP_RUN_DIR"] = "/tmp/custom-run" })
            .Build();
        using var services = new ServiceCollection().AddLogging().AddUpstreamProcesses(configuration).BuildServiceProvider();

        Assert.IsType<UpstreamProcessFactory>(services.GetRequiredService<IUpstreamProcessFactory>());
        Assert.Same(services.GetRequiredService<UpstreamOutput>(), services.GetRequiredService<UpstreamOutput>());
        Assert.Equal("/tmp/custom-run", services.GetRequiredService<IOptions<UpstreamProcessOptions>>().Value.RunDirectory);
    }

    [Fact]
    public void AddUpstreamProcesses_NoRunDirectoryConfigured_DefaultsUnderTemp()
    {
        using var services = new ServiceCollection().AddLogging().AddUpstreamProcesses(new ConfigurationBuilder().Build()).BuildServiceProvider();

        Assert.Equal(Path.Combine(Path.GetTempPath(), "llamaswap-run"), services.GetRequiredService<IOptions<UpstreamProcessOptions>>().Value.RunDirectory);
    }
}
