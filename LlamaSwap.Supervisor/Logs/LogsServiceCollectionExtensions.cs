namespace LlamaSwap.Supervisor.Logs;

internal static class LogsServiceCollectionExtensions
{
    /// <summary>Relays upstream output to the gateways through the event bus (<see cref="UpstreamLogPublisher"/>).</summary>
    public static IServiceCollection AddUpstreamLogPublishing(this IServiceCollection services)
        => services.AddHostedService<UpstreamLogPublisher>();
}
