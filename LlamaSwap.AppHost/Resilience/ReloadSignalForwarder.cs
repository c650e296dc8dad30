using System.Runtime.InteropServices;
using Aspire.Hosting.ApplicationModel;
using LlamaSwap.AppHost.Model;
using LlamaSwap.Core.Processes;
using Microsoft.Extensions.Hosting;

namespace LlamaSwap.AppHost.Resilience;

/// <summary>
/// SIGHUP to the AppHost reloads the config, as SIGHUP to llama-swap does: it is passed on to each
/// service process, which validates the config and applies only what changed. DCP runs a project
/// as <c>dotnet run</c> with the service as its child, so the signal goes to the wrapper's children.
/// </summary>
internal sealed class ReloadSignalForwarder(ResourceNotificationService notifications) : IHostedService, IDisposable
{
    private PosixSignalRegistration? _registration;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _registration = PosixSignalRegistration.Create(PosixSignal.SIGHUP, context =>
        {
            context.Cancel = true;
            Forward();
        });
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose() => _registration?.Dispose();

    private void Forward()
    {
        foreach (var name in ResourceNames.Services)
        {
            foreach (var pid in ServiceProcesses.Of(notifications, name))
            {
                PosixSignals.SignalProcess(pid, PosixSignals.SigHup);
            }
        }
    }
}
