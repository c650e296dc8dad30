using LlamaSwap.AuthProxy.Keys;
using LlamaSwap.Core.Configuration;
using LlamaSwap.Core.Configuration.Reload;
using LlamaSwap.Core.Hosting;
using LlamaSwap.Tests.Gateway.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LlamaSwap.Tests.AuthProxy.Keys;

/// <summary>The front door without keys says so, loudly, with the address anyone can reach.</summary>
public sealed class OpenPortWarningTests
{
    private const int OpenPortEventId = 1622;

    [Fact]
    public async Task NoKeys_WarnsOnceAtStart_NamingTheBoundAddress()
    {
        var log = new LogRecorder();
        await using var proxy = await StartAsync(new ApiKeySet(Array.Empty<string>()), log);

        var warning = Assert.Single(log.WithId(OpenPortEventId));
        Assert.Equal(LogLevel.Warning, warning.Level);
        var address = new Uri(LoopbackServer.BoundUrl(proxy)).Authority;
        Assert.Equal(
            $"The public port {address} is OPEN: no API keys configured; anyone who can reach it can use every model. Add apiKeys to the config, a config.json next to it, or API_KEYS.",
            warning.Message);
    }

    [Fact]
    public async Task WithKeys_NoWarning()
    {
        var log = new LogRecorder();
        await using var proxy = await StartAsync(new ApiKeySet(["sk-1"]), log);

        Assert.Empty(log.WithId(OpenPortEventId));
        Assert.DoesNotContain(log.Entries, e => e.Message.Contains("OPEN", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ReloadThatRemovesTheLastKey_Warns()
    {
        var log = new LogRecorder();
        var workDirectory = Directory.CreateTempSubdirectory("llamaswap-keys-");
        try
        {
            await using var proxy = await StartAsync(new ApiKeySet(["sk-1"]), log, $"--{WiringEnvironment.WorkDirectory}={workDirectory.FullName}");
            var reload = proxy.Services.GetServices<IConfigReloadTarget>().OfType<ApiKeyReloadTarget>().Single();

            // No config, no config.json in the (empty) working directory, no API_KEYS: the reload opens the port.
            await reload.ApplyAsync(new LlamaSwapConfig(), CancellationToken.None);

            Assert.True(proxy.Services.GetRequiredService<ApiKeyHolder>().Current.IsOpen);
            Assert.Equal(LogLevel.Warning, Assert.Single(log.WithId(OpenPortEventId)).Level);
        }
        finally
        {
            workDirectory.Delete(recursive: true);
        }
    }

    private static async Task<WebApplication> StartAsync(ApiKeySet keys, LogRecorder log, params string[] extraArgs)
    {
        var proxy = LlamaSwap.AuthProxy.Program.BuildApp(
            ["--urls", "http://127.0.0.1:0", "--services:gateway:http:0=http://127.0.0.1:1", "--Logging:LogLevel:Default=Warning", .. extraArgs],
            services =>
            {
                services.AddSingleton(keys);
                services.AddSingleton<ILoggerProvider>(log);
            });
        await proxy.StartAsync();
        return proxy;
    }
}
