using System.Text.RegularExpressions;
using Aspire.Hosting.ApplicationModel;
using LlamaSwap.AppHost.Model;
using Microsoft.Extensions.Hosting;

namespace LlamaSwap.AppHost.Output;

/// <summary>
/// Every service's console output also on the AppHost's console, one line each, prefixed with the
/// resource's name (the dashboard has the same lines per resource). Aspire's own resource logging
/// wraps each line in a log record of its own, two lines with timestamps; this stays readable.
/// It runs from the host's <c>StartingAsync</c>: Aspire starts the resources inside its own
/// <c>StartAsync</c>, which returns only once every resource is up (those waiting for another
/// included), so a hosted service started after it would show nothing of a slow or failing start.
/// </summary>
internal sealed partial class ResourceOutputForwarder(ResourceLoggerService resourceLogs, DistributedApplicationModel model)
    : BackgroundService, IHostedLifecycleService
{
    private static readonly Lock ConsoleLock = new();

    public Task StartingAsync(CancellationToken cancellationToken) => base.StartAsync(cancellationToken);

    /// <summary>Already forwarding since <see cref="StartingAsync"/>.</summary>
    public override Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var width = ResourceNames.Services.Append(ResourceNames.Redis).Max(name => name.Length);
        var forwards = model.Resources
            .Where(resource => resource.Name is ResourceNames.Redis or ResourceNames.Supervisor or ResourceNames.Gateway or ResourceNames.AuthProxy)
            .Where(resource => resource is not IResourceWithoutLifetime)
            .Select(resource => ForwardAsync(resource, resource.Name.PadRight(width), stoppingToken));
        return Task.WhenAll(forwards);
    }

    private async Task ForwardAsync(IResource resource, string prefix, CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var batch in resourceLogs.WatchAsync(resource).WithCancellation(stoppingToken))
            {
                lock (ConsoleLock)
                {
                    foreach (var line in batch)
                    {
                        (line.IsErrorMessage ? System.Console.Error : System.Console.Out).WriteLine($"{prefix} | {WithoutTimestamp(line.Content)}");
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>DCP stamps every line with its arrival time; the console has its own sense of time and the services log theirs.</summary>
    internal static string WithoutTimestamp(string content)
        => TimestampPrefix().Match(content) is { Success: true } match ? content[match.Length..] : content;

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z ")]
    private static partial Regex TimestampPrefix();
}
