using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace LlamaSwap.AppHost.Dashboard;

/// <summary>
/// The Aspire dashboard over plain HTTP on fixed loopback ports. No development certificate exists
/// on most machines that run local models (and none here); without these settings the AppHost
/// stops within a second looking for one. Values already configured (environment, launch profile)
/// win; unsecured transport itself is allowed through <c>DistributedApplicationOptions</c>.
/// </summary>
internal static class DashboardSettings
{
    public const int DefaultPort = 18888;

    public static string Url(int port) => string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}");

    /// <summary>The OTLP (gRPC) receiver the services export to: the port after the dashboard's.</summary>
    public static string OtlpUrl(int port) => Url(port + 1);

    /// <summary>The AppHost's resource service, which the dashboard reads resources from: the port after the OTLP receiver's.</summary>
    public static string ResourceServiceUrl(int port) => Url(port + 2);

    public static void Apply(IConfiguration configuration, int port)
    {
        SetDefault(configuration, "ASPNETCORE_URLS", Url(port));
        SetDefault(configuration, "ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL", OtlpUrl(port));
        SetDefault(configuration, "ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL", ResourceServiceUrl(port));
        SetDefault(configuration, "ASPIRE_ALLOW_UNSECURED_TRANSPORT", "true");
        // A local tool on loopback: no login token to copy from the console.
        SetDefault(configuration, "ASPIRE_DASHBOARD_UNSECURED_ALLOW_ANONYMOUS", "true");
    }

    private static void SetDefault(IConfiguration configuration, string key, string value)
    {
        if (string.IsNullOrEmpty(configuration[key]))
        {
            configuration[key] = value;
        }
    }
}
