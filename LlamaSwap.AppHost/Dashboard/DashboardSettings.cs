using System.Globalization;

namespace LlamaSwap.AppHost.Dashboard;

/// <summary>
/// The Aspire dashboard over plain HTTP on fixed loopback ports. No development certificate exists
/// on most machines that run local models (and none here); without these settings the AppHost
/// stops within a second looking for one. Values already in the environment win.
/// </summary>
internal static class DashboardSettings
{
    public const int DefaultPort = 18888;

    public static string Url(int port) => string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}");

    /// <summary>The OTLP (gRPC) receiver the services export to: the port after the dashboard's.</summary>
    public static string OtlpUrl(int port) => Url(port + 1);

    /// <summary>Sets the variables Aspire reads at start-up (before the builder exists, as Aspire reads them then).</summary>
    public static void Apply(int port)
    {
        SetDefault("ASPNETCORE_URLS", Url(port));
        SetDefault("ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL", OtlpUrl(port));
        SetDefault("ASPIRE_ALLOW_UNSECURED_TRANSPORT", "true");
        // A local tool on loopback: no login token to copy from the console.
        SetDefault("ASPIRE_DASHBOARD_UNSECURED_ALLOW_ANONYMOUS", "true");
    }

    private static void SetDefault(string name, string value)
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(name)))
        {
            Environment.SetEnvironmentVariable(name, value);
        }
    }
}
