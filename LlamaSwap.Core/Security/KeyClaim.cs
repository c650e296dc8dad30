using LlamaSwap.Core.Configuration;

namespace LlamaSwap.Core.Security;

/// <summary>
/// Which key a request was authenticated with, as the auth proxy tells the gateway: the key's name
/// (for usage) and its model globs (the gateway judges them on the request's final target). Sent
/// signed (<see cref="KeyClaimSigner"/>); see docs/design.md, "Keys across the hop".
/// </summary>
public sealed record KeyClaim(string Name, IReadOnlyList<string> Models)
{
    /// <summary>Every model: what a plain llama-swap key is.</summary>
    public bool AllowsEveryModel => Models is ["*"];

    /// <summary>Whether the globs admit <paramref name="target"/>: a real model ID or a peer model's FQN, never a name in between.</summary>
    public bool AllowsModel(string target)
    {
        foreach (var glob in Models)
        {
            if (ModelGlob.IsMatch(glob, target))
            {
                return true;
            }
        }

        return false;
    }

    public static KeyClaim For(ApiKeyConfig key) => new(key.Name, key.Models);
}
