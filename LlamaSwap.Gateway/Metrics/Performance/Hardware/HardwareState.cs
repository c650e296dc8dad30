namespace LlamaSwap.Gateway.Metrics.Performance.Hardware;

/// <summary>The start-up hardware snapshot, set once by the sampler; null until then or when detection is unavailable.</summary>
internal sealed class HardwareState
{
    private volatile HardwareSnapshot? _current;

    public HardwareSnapshot? Current
    {
        get => _current;
        set => _current = value;
    }
}
