using LlamaSwap.Core.Configuration;
using LlamaSwap.Gateway.Configuration;

namespace LlamaSwap.Gateway.Profiles;

/// <summary>
/// Which profile is active (reference 1.9): none at start. The choice is tied to the config snapshot
/// it was made against, so a reload ends it without the reload path having to know about profiles.
/// </summary>
/// <remarks>
/// Held in this gateway's memory only: several gateways behind one auth proxy would each keep their
/// own choice (sharing it through the state store is not done).
/// </remarks>
internal sealed class ActiveProfile(ConfigHolder config)
{
    private volatile Selection? _selection;

    /// <summary>Raised with the new active name (null: none) after a switch; handlers must be quick and must not throw.</summary>
    public event Action<string?>? Changed;

    /// <summary>The active profile's name under the current config, or null.</summary>
    public string? Name => For(config.Current)?.Id;

    /// <summary>The active profile if it was chosen under <paramref name="snapshot"/>; otherwise null.</summary>
    public ProfileConfig? For(LlamaSwapConfig snapshot)
        => _selection is { } selection && ReferenceEquals(selection.Config, snapshot)
            ? snapshot.Profiles.GetValueOrDefault(selection.Name)
            : null;

    /// <summary>Activates <paramref name="name"/> (null deactivates); false when the config has no such profile.</summary>
    public bool TrySet(string? name)
    {
        var snapshot = config.Current;
        if (name is null)
        {
            _selection = null;
            Changed?.Invoke(null);
            return true;
        }

        if (!snapshot.Profiles.ContainsKey(name))
        {
            return false;
        }

        _selection = new Selection(snapshot, name);
        Changed?.Invoke(name);
        return true;
    }

    private sealed record Selection(LlamaSwapConfig Config, string Name);
}
