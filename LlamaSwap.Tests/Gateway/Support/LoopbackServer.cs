using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

namespace LlamaSwap.Tests.Gateway.Support;

/// <summary>Starts small in-test web apps on a real loopback port.</summary>
internal static class LoopbackServer
{
    /// <summary>Builds, maps and starts an app on a free port; returns it with its base URL.</summary>
    public static async Task<(WebApplication App, string Url)> StartAsync(Action<WebApplication> map)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        map(app);
        await app.StartAsync();
        return (app, BoundUrl(app));
    }

    /// <summary>The address Kestrel actually bound (port 0 resolved).</summary>
    public static string BoundUrl(WebApplication app) => app.Urls.First().TrimEnd('/');

    /// <summary>Polls until <paramref name="condition"/> holds; fails after <paramref name="timeout"/>.</summary>
    public static async Task WaitUntilAsync(Func<bool> condition, TimeSpan? timeout = null, string? because = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"condition not met in time{(because is null ? "" : ": " + because)}");
            }

            await Task.Delay(10);
        }
    }
}
