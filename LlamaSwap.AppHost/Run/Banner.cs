using Aspire.Hosting.ApplicationModel;
using LlamaSwap.AppHost.Dashboard;
using LlamaSwap.AppHost.Model;
using LlamaSwap.Core.Configuration;
using Microsoft.Extensions.Hosting;

namespace LlamaSwap.AppHost.Run;

/// <summary>What the banner shows; known before anything starts.</summary>
internal sealed record BannerInfo(int? DashboardPort, StackSettings Settings, bool IsDemo);

/// <summary>What a user needs once the front door is healthy: the URLs, the dashboard and a request to copy.</summary>
internal sealed class Banner(BannerInfo info, ResourceNotificationService notifications) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await notifications.WaitForResourceHealthyAsync(ResourceNames.AuthProxy, stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        Console.Out.Write(Render(info));
        await Console.Out.FlushAsync(stoppingToken);
    }

    public static string Render(BannerInfo info)
    {
        var settings = info.Settings;
        var (model, needsKey) = info.IsDemo ? ("demo-small", false) : Inspect(settings.ConfigPath, settings.ConfigDir);
        var configSource = (settings.ConfigPath.Length > 0, settings.ConfigDir) switch
        {
            (true, null) => settings.ConfigPath,
            (true, { } dir) => $"{settings.ConfigPath} + {dir}/*.yaml",
            (false, { } dir) => $"{dir}/*.yaml",
            _ => "(none)",
        };
        var redis = settings.ExternalRedis is { } external ? $"{external} (external)" : $"127.0.0.1:{settings.RedisPort}";
        var auth = needsKey ? " -H \"Authorization: Bearer $API_KEY\"" : "";

        return $"""

            LlamaSwap is running. Press Ctrl+C to stop.
              front door (OpenAI API):  http://localhost:{settings.ProxyPort}/v1
              web UI:                   http://localhost:{settings.ProxyPort}/ui
              dashboard (Aspire):       {(info.DashboardPort is { } port ? DashboardSettings.Url(port) : "off (--no-dashboard)")}
              gateway (llama-swap API): http://127.0.0.1:{settings.GatewayPort}
              supervisor (internal):    http://127.0.0.1:{settings.SupervisorPort}
              redis:                    {redis}
              config:                   {configSource}{(info.IsDemo ? " (demo)" : "")}

            Try:{(needsKey ? "\n  export API_KEY=<one of the keys in your config>" : "")}
              curl -N http://localhost:{settings.ProxyPort}/v1/chat/completions{auth} -H "Content-Type: application/json" \
                -d '{"{"}"model":"{model}","stream":true,"messages":[{"{"}"role":"user","content":"Hello!"{"}"}]{"}"}'
              curl http://localhost:{settings.ProxyPort}/v1/models{auth}


            """;
    }

    /// <summary>
    /// Best effort, only to fill in the example: the supervisor is what validates the config and
    /// reports its errors, so any failure here just falls back to a placeholder.
    /// </summary>
    private static (string Model, bool NeedsKey) Inspect(string configPath, string? configDir)
    {
        try
        {
            var config = ConfigLoader.LoadFiles(configPath.Length > 0 ? configPath : null, configDir).Config;
            var model = config?.Models.Values.FirstOrDefault(m => !m.Unlisted)?.Id ?? "MODEL";
            var needsKey = (config?.KeyDefinitions.Count ?? 0) > 0
                || Environment.GetEnvironmentVariable("API_KEYS") is { Length: > 0 }
                || Environment.GetEnvironmentVariable("LLAMASWAP_KEYS_FILE") is { Length: > 0 };
            return (model, needsKey);
        }
        catch (Exception)
        {
            return ("MODEL", false);
        }
    }
}
