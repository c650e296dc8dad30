using LlamaSwap.Core.Hosting;

namespace LlamaSwap.AppHost.Resources;

/// <summary>
/// The environment of a project resource, named as Aspire names it (<c>ConnectionStrings__redis</c>,
/// <c>services__supervisor__http__0</c>, <c>OTEL_*</c>) so that the services read the same keys
/// whether this AppHost or Aspire.Hosting starts them.
/// </summary>
internal static class ResourceEnvironment
{
    public const string AspNetCoreUrls = "ASPNETCORE_URLS";
    public const string OtelServiceName = "OTEL_SERVICE_NAME";
    public const string OtelEndpoint = "OTEL_EXPORTER_OTLP_ENDPOINT";

    public static IReadOnlyList<KeyValuePair<string, string>> For(ResourceSpec resource, AppModel model, IWiringTarget target)
    {
        var env = new List<KeyValuePair<string, string>>
        {
            new(AspNetCoreUrls, target.ListenUrls(resource)),
            new(OtelServiceName, resource.Name),
        };

        if (target.OtlpEndpoint is { } otlp)
        {
            env.Add(new(OtelEndpoint, otlp));
        }

        env.Add(new(WiringEnvironment.ConfigPath, target.ConfigPath));
        env.Add(new(WiringEnvironment.RunDirectory, target.RunDirectory));

        foreach (var reference in resource.References.Select(name => model[name]))
        {
            env.Add(reference.Kind == ResourceKind.Redis
                ? new($"ConnectionStrings__{reference.Name}", target.ConnectionString(reference))
                : new($"services__{reference.Name}__http__0", target.HttpUrl(reference)));
        }

        return env;
    }
}
