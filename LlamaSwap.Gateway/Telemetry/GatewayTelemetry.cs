using System.Diagnostics;

namespace LlamaSwap.Gateway.Telemetry;

/// <summary>The gateway's own trace source (collected by ServiceDefaults through the <c>LlamaSwap.*</c> wildcard).</summary>
internal static class GatewayTelemetry
{
    public const string SourceName = "LlamaSwap.Gateway";

    public static readonly ActivitySource Source = new(SourceName);
}
