namespace LlamaSwap.AuthProxy.Keys;

/// <summary>The keys in force; a reload swaps the whole set, so a removed key is refused on the next request.</summary>
internal sealed class ApiKeyHolder(ApiKeySet initial)
{
    private volatile ApiKeySet _current = initial;

    public ApiKeySet Current => _current;

    public void Replace(ApiKeySet keys) => _current = keys;
}
