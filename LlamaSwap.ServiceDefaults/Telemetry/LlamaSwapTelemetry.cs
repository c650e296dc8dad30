namespace LlamaSwap.ServiceDefaults.Telemetry;

/// <summary>
/// Names of LlamaSwap's own telemetry sources. Services create their <c>ActivitySource</c> and
/// <c>Meter</c> with <see cref="ActivitySourceName"/> / <see cref="MeterName"/> (or a
/// <c>LlamaSwap.</c>-prefixed name): both forms are collected.
/// </summary>
public static class LlamaSwapTelemetry
{
    /// <summary>Name of the LlamaSwap <c>ActivitySource</c>.</summary>
    public const string ActivitySourceName = "LlamaSwap";

    /// <summary>Name of the LlamaSwap <c>Meter</c>.</summary>
    public const string MeterName = "LlamaSwap";

    /// <summary>Wildcard that matches component-specific sources such as <c>LlamaSwap.Gateway</c>.</summary>
    internal const string Wildcard = "LlamaSwap.*";
}
