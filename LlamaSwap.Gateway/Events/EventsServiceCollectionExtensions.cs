using LlamaSwap.Gateway.Activity;

namespace LlamaSwap.Gateway.Events;

internal static class EventsServiceCollectionExtensions
{
    public static IServiceCollection AddGatewayEvents(this IServiceCollection services)
    {
        services.AddSingleton<EventHub>();
        services.AddSingleton<ModelStatusFeed>();
        services.AddHostedService(sp => sp.GetRequiredService<ModelStatusFeed>());
        services.AddSingleton<IActivityListener, ActivityEventsListener>();
        services.AddSingleton<SharedActivityFeed>();
        services.AddHostedService(sp => sp.GetRequiredService<SharedActivityFeed>());
        services.AddSingleton<IActivityListener>(sp => sp.GetRequiredService<SharedActivityFeed>());
        services.AddSingleton<LogEventsFeed>();
        services.AddHostedService(sp => sp.GetRequiredService<LogEventsFeed>());
        services.AddSingleton<IEventSnapshotSource>(sp => sp.GetRequiredService<LogEventsFeed>());
        services.AddSingleton<InflightEventsFeed>();
        services.AddHostedService(sp => sp.GetRequiredService<InflightEventsFeed>());
        services.AddSingleton<IEventSnapshotSource>(sp => sp.GetRequiredService<InflightEventsFeed>());
        services.AddSingleton<ProfileChangeEvents>();
        services.AddHostedService(sp => sp.GetRequiredService<ProfileChangeEvents>());
        return services;
    }
}
