using LlamaSwap.AppHost.Resources;

namespace LlamaSwap.AppHost.Publishing;

/// <summary>Wiring as Aspire manifest expressions, resolved by whatever deploys the manifest.</summary>
internal sealed class ManifestWiringTarget : IWiringTarget
{
    public string ConfigPath => Deployment.ConfigMountPath;

    public string RunDirectory => Deployment.RunDirectory;

    // The deployment tool injects its own collector endpoint.
    public string? OtlpEndpoint => null;

    public string ConnectionString(ResourceSpec redis) => $"{{{redis.Name}.connectionString}}";

    public string HttpUrl(ResourceSpec resource) => $"{{{resource.Name}.bindings.http.url}}";

    public string ListenUrls(ResourceSpec resource) => $"http://+:{{{resource.Name}.bindings.http.targetPort}}";
}
