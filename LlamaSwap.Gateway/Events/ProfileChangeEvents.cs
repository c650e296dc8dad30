using LlamaSwap.Gateway.Profiles;

namespace LlamaSwap.Gateway.Events;

/// <summary>Sends <c>profileChanged</c> when a profile is switched through the API.</summary>
internal sealed class ProfileChangeEvents(ActiveProfile profile, EventHub hub) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        profile.Changed += OnChanged;
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        profile.Changed -= OnChanged;
        return Task.CompletedTask;
    }

    private void OnChanged(string? active) => hub.Publish(EventTypes.ProfileChanged, new ProfileChangedPayload(active));
}
