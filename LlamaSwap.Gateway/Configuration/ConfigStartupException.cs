namespace LlamaSwap.Gateway.Configuration;

/// <summary>The gateway cannot start: carries every problem found, not just the first.</summary>
internal sealed class ConfigStartupException(IReadOnlyList<string> errors)
    : Exception("invalid configuration:" + Environment.NewLine + string.Join(Environment.NewLine, errors))
{
    public IReadOnlyList<string> Errors { get; } = errors;
}
