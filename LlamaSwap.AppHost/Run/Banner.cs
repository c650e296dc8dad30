using Aspire.Hosting.ApplicationModel;
using LlamaSwap.AppHost.Dashboard;
using LlamaSwap.AppHost.Model;
using LlamaSwap.Core.Hosting;
using Microsoft.Extensions.Hosting;

namespace LlamaSwap.AppHost.Run;

/// <summary>What the banner shows; known before anything starts.</summary>
internal sealed record BannerInfo(int? DashboardPort, StackSettings Settings, bool IsDemo);

/// <summary>Prints <see cref="StartBanner"/> once the front door is healthy.</summary>
internal sealed class Banner(BannerInfo info, ResourceNotificationService notifications) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await notifications.WaitForResourceHealthyAsync(ResourceNames.AuthProxy, stoppingToken);
            var frontDoor = $"http://localhost:{info.Settings.ProxyPort}";
            var needsKey = await FrontDoorProbe.NeedsKeyAsync(frontDoor, certificate: null, stoppingToken);
            Console.Out.Write(Render(info, needsKey));
            await Console.Out.FlushAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
        }
    }

    public static string Render(BannerInfo info, bool needsKey)
    {
        var settings = info.Settings;
        return new StartBanner
        {
            FrontDoor = $"http://localhost:{settings.ProxyPort}",
            Gateway = $"http://127.0.0.1:{settings.GatewayPort}",
            Supervisor = $"http://127.0.0.1:{settings.SupervisorPort}",
            Redis = settings.ExternalRedis is { } external ? $"{external} (external)" : $"127.0.0.1:{settings.RedisPort}",
            ConfigSource = StartBanner.DescribeConfig(settings.ConfigPath, settings.ConfigDir),
            IsDemo = info.IsDemo,
            NeedsKey = needsKey,
            ExampleModel = info.IsDemo ? "demo-small" : StartBanner.FirstModel(settings.ConfigPath, settings.ConfigDir),
            Extra = [("dashboard (Aspire)", info.DashboardPort is { } port ? DashboardSettings.Url(port) : "off (--no-dashboard)")],
        }.Render();
    }
}
