namespace LlamaSwap.Gateway.Configuration;

/// <summary>Gateway settings from the <c>Gateway</c> configuration section.</summary>
internal sealed record GatewayOptions
{
    public const string SectionName = "Gateway";

    /// <summary>Largest request body buffered to find the model (bigger bodies get 413).</summary>
    public long MaxRequestBodyBytes { get; init; } = 64L * 1024 * 1024;
}
