using LlamaSwap.Core.Configuration;
using LlamaSwap.Core.Security;
using LlamaSwap.Gateway.Profiles;
using LlamaSwap.Gateway.Selectors;

namespace LlamaSwap.Gateway.Routing;

/// <summary>
/// The rewrites a requested name goes through before it is resolved (reference 2.1 middleware order):
/// the active profile's pin, then a selector.
/// </summary>
internal sealed class VirtualModelResolver(ActiveProfile profile, SelectorRouter selectors)
{
    public async Task<VirtualModelRoute> ResolveAsync(LlamaSwapConfig snapshot, string requested, CancellationToken cancellationToken)
    {
        var name = requested;
        if (profile.For(snapshot) is { } active && active.Pins.TryGetValue(name, out var pinned))
        {
            if (pinned is null)
            {
                return VirtualModelRoute.Fail(StatusCodes.Status404NotFound, UnknownModelMessages.TurnedOffByProfile(requested, active.Id));
            }

            name = pinned;
        }

        if (!snapshot.Selectors.TryGetValue(name, out var selector))
        {
            return new VirtualModelRoute(name, null, null);
        }

        return await selectors.ChooseAsync(snapshot, selector, cancellationToken) is { } choice
            ? new VirtualModelRoute(choice.Target, choice.Reservation, null)
            : VirtualModelRoute.Fail(StatusCodes.Status503ServiceUnavailable, $"selector \"{selector.Id}\" has no available spillover targets");
    }

    /// <summary>
    /// Every final target (model ID or peer FQN) <paramref name="name"/> can reach now, as
    /// <see cref="ResolveAsync"/> would route it: through the active profile's pin, then any of a
    /// selector's targets. Empty when the name reaches nothing.
    /// </summary>
    public IReadOnlyList<string> PossibleTargets(LlamaSwapConfig snapshot, string name)
    {
        if (profile.For(snapshot) is { } active && active.Pins.TryGetValue(name, out var pinned))
        {
            if (pinned is null)
            {
                return [];
            }

            name = pinned;
        }

        IEnumerable<string> names = snapshot.Selectors.TryGetValue(name, out var selector)
            ? selector.Strategy == SelectorStrategies.Pin ? selector.Targets.Take(1) : selector.Targets
            : [name];
        var targets = new List<string>();
        foreach (var candidate in names)
        {
            if ((snapshot.ResolveModelId(candidate) ?? snapshot.ResolvePeer(candidate)?.Fqn) is not { } target)
            {
                return [];
            }

            targets.Add(target);
        }

        return targets;
    }

    /// <summary>
    /// Whether a restricted key sees <paramref name="name"/> in <c>/v1/models</c>: only when every target
    /// the name can reach now is one its globs admit.
    /// </summary>
    public bool IsVisibleTo(LlamaSwapConfig snapshot, string name, KeyClaim claim)
        => PossibleTargets(snapshot, name) is { Count: > 0 } targets && targets.All(claim.AllowsModel);

    /// <summary><c>/upstream</c> gets the profile's pin-prefix rewrite only: selectors are not supported there.</summary>
    public (string DecodedPath, string? RawPath, bool Disabled) RewriteUpstreamPath(LlamaSwapConfig snapshot, string decodedPath, string? rawPath)
        => ProfilePinPath.Rewrite(profile.For(snapshot), decodedPath, rawPath);
}

/// <summary>The name to route, a selector reservation to hold while forwarding, or the error to answer.</summary>
internal sealed record VirtualModelRoute(string Name, IDisposable? Reservation, (int Status, string Message)? Error)
{
    public static VirtualModelRoute Fail(int status, string message) => new(string.Empty, null, (status, message));
}
