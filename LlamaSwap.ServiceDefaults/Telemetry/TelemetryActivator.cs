using Microsoft.Extensions.Hosting;
using OpenTelemetry;

namespace LlamaSwap.ServiceDefaults.Telemetry;

/// <summary>
/// Resolving the SDK here creates its listeners before the server accepts requests (hosted
/// services are constructed before any of them starts); nothing else would ever resolve it.
/// </summary>
internal sealed class TelemetryActivator(OpenTelemetrySdk sdk) : IHostedService
{
    public OpenTelemetrySdk Sdk { get; } = sdk;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
