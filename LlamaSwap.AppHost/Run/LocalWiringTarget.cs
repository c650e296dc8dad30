using LlamaSwap.AppHost.Resources;

namespace LlamaSwap.AppHost.Run;

/// <summary>Wiring of a local run: loopback URLs with the ports chosen at start, absolute paths.</summary>
internal sealed class LocalWiringTarget(
    IReadOnlyDictionary<string, int> ports,
    string redisConnectionString,
    string configPath,
    string runDirectory,
    string? otlpEndpoint) : IWiringTarget
{
    public string ConfigPath => configPath;

    public string RunDirectory => runDirectory;

    public string? OtlpEndpoint => otlpEndpoint;

    public string ConnectionString(ResourceSpec redis) => redisConnectionString;

    public string HttpUrl(ResourceSpec resource) => $"http://127.0.0.1:{ports[resource.Name]}";

    public string ListenUrls(ResourceSpec resource) =>
        $"http://{(resource.External ? "0.0.0.0" : "127.0.0.1")}:{ports[resource.Name]}";
}
