using LlamaSwap.Core.Configuration;

namespace LlamaSwap.Gateway.Configuration;

/// <summary>
/// The configuration every request reads. A request takes <see cref="Current"/> once and uses that
/// snapshot throughout, so a later reload never changes a request halfway.
/// </summary>
internal sealed class ConfigHolder(LlamaSwapConfig config)
{
    private volatile LlamaSwapConfig _current = config;

    public LlamaSwapConfig Current => _current;

    /// <summary>Raised after a reload swapped in a new configuration; handlers must be quick and must not throw.</summary>
    public event Action<LlamaSwapConfig>? Replaced;

    /// <summary>Swaps in a new validated configuration (reload).</summary>
    public void Replace(LlamaSwapConfig config)
    {
        _current = config;
        Replaced?.Invoke(config);
    }
}
