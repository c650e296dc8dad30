using LlamaSwap.Core.Configuration;
using LlamaSwap.Core.Security;
using LlamaSwap.Gateway.Models;
using LlamaSwap.Gateway.Profiles;

namespace LlamaSwap.Gateway.Routing;

/// <summary>
/// The 404 text for a name that reaches no model. llama-swap's own words come first, unchanged, so
/// scripts that match them still do; then the name, where the list of names is, and the closest name
/// the caller may use. Suggestions come only from what <c>GET /v1/models</c> shows the caller (plus
/// the aliases of listed models): never an unlisted model, never one the caller's key may not use.
/// </summary>
internal sealed class UnknownModelMessages(ActiveProfile profile, VirtualModelResolver names)
{
    /// <summary>llama-swap's text for a model route's unknown model.</summary>
    public const string NoRouter = "no router for requested model";

    /// <summary>llama-swap's text for an unknown model in <c>/upstream/...</c> and the unload API.</summary>
    public const string NotFound = "model not found";

    private const string ListHint = "GET /v1/models lists the available models";
    private const int MaxShownLength = 200;

    /// <summary>How many leading path segments are tried as a name when looking for a suggestion.</summary>
    private const int MaxPathSegments = 4;

    /// <summary>A model route's name that is no model ID, alias, peer model, selector or pin.</summary>
    public string NoRouterFor(LlamaSwapConfig snapshot, string requested, KeyClaim? claim)
        => Compose(NoRouter, requested, ModelNameSuggestion.Closest(requested, Listed(snapshot, claim, localOnly: false)));

    /// <summary><c>/upstream/&lt;path&gt;</c> whose leading segments name no model.</summary>
    /// <param name="path">What follows <c>/upstream/</c> (after the profile's pin rewrite).</param>
    public string NotFoundInPath(LlamaSwapConfig snapshot, string path, KeyClaim? claim)
    {
        var segments = path.Split('/');
        var forms = Enumerable.Range(1, Math.Min(segments.Length, MaxPathSegments)).Select(count => string.Join('/', segments, 0, count)).ToList();
        return ModelNameSuggestion.Closest(forms, Listed(snapshot, claim, localOnly: false)) is { } found
            ? Compose(NotFound, found.Requested, found.Name)
            : Compose(NotFound, segments[0], null);
    }

    /// <summary>The unload API's unknown model: only local models can be unloaded, so only they are suggested.</summary>
    public string NotFoundForUnload(LlamaSwapConfig snapshot, string requested)
        => Compose(NotFound, requested, ModelNameSuggestion.Closest(requested, Listed(snapshot, claim: null, localOnly: true)));

    /// <summary>A name an active profile pins to nothing: it exists, and the profile turns it off.</summary>
    public static string TurnedOffByProfile(string requested, string profile)
        => $"{NoRouter} {Quote(requested)}: the active profile {Quote(profile)} turns it off";

    private static string Compose(string phrase, string requested, string? suggestion)
    {
        var message = $"{phrase} {Quote(requested)}: {ListHint}";
        return suggestion is null ? message : $"{message} (did you mean {Quote(suggestion)}?)";
    }

    /// <summary>The name in quotes, shortened when a client sent something absurdly long.</summary>
    private static string Quote(string name)
        => "\"" + (name.Length > MaxShownLength ? name[..MaxShownLength] + "…" : name) + "\"";

    private IEnumerable<string> Listed(LlamaSwapConfig snapshot, KeyClaim? claim, bool localOnly)
    {
        var listedModels = snapshot.Models.Values.Where(m => !m.Unlisted).ToList();
        IEnumerable<string> listed = localOnly
            ? listedModels.Select(m => m.Id)
            : ModelListing.Build(snapshot, states: null, created: 0, profile.For(snapshot)).Data.Select(e => e.Id);
        var all = listed.Concat(listedModels.SelectMany(m => m.Aliases));
        return claim is { AllowsEveryModel: false } restricted ? all.Where(name => names.IsVisibleTo(snapshot, name, restricted)) : all;
    }
}
