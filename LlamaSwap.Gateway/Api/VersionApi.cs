using System.Globalization;
using System.Reflection;
using LlamaSwap.Gateway.Routing;

namespace LlamaSwap.Gateway.Api;

/// <summary><c>GET /api/version</c>: <c>{"version","commit","build_date"}</c> as llama-swap answers it (reference 2.3).</summary>
internal static class VersionApi
{
    public static IEndpointRouteBuilder MapVersionApi(this IEndpointRouteBuilder endpoints)
    {
        var info = Describe(typeof(VersionApi).Assembly);
        endpoints.MapRoute(GatewayRoutes.Version, () => Results.Json(info));
        return endpoints;
    }

    /// <summary>The informational version is <c>version+commit</c> (the SDK adds the git commit when it builds from a clone).</summary>
    internal static VersionInfo Describe(Assembly assembly)
    {
        var informational = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
        var parts = informational.Split('+', 2);
        var built = File.Exists(assembly.Location) ? File.GetLastWriteTimeUtc(assembly.Location) : DateTime.UnixEpoch;
        return new VersionInfo(parts[0], parts.Length > 1 ? parts[1] : "unknown", built.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));
    }

    internal sealed record VersionInfo(
        [property: System.Text.Json.Serialization.JsonPropertyName("version")] string Version,
        [property: System.Text.Json.Serialization.JsonPropertyName("commit")] string Commit,
        [property: System.Text.Json.Serialization.JsonPropertyName("build_date")] string BuildDate);
}
