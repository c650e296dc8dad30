using System.Runtime.InteropServices;

namespace LlamaSwap.AppHost.Run;

/// <summary>
/// Turns SIGINT and SIGTERM into a graceful shutdown request, and a second one into a
/// request to stop waiting and kill. The children sit in their own sessions, so the terminal's
/// Ctrl+C reaches only us: we decide the stop order.
/// </summary>
internal sealed class ShutdownSignals : IDisposable
{
    private readonly CancellationTokenSource _requested = new();
    private readonly CancellationTokenSource _forced = new();
    private readonly PosixSignalRegistration[] _registrations;

    public ShutdownSignals()
    {
        _registrations =
        [
            PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal),
            PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal),
        ];
    }

    /// <summary>Cancelled by the first signal.</summary>
    public CancellationToken Requested => _requested.Token;

    /// <summary>Cancelled by a second signal: skip the grace periods.</summary>
    public CancellationToken Forced => _forced.Token;

    public PosixSignal? FirstSignal { get; private set; }

    public void Dispose()
    {
        foreach (var registration in _registrations)
        {
            registration.Dispose();
        }

        _requested.Dispose();
        _forced.Dispose();
    }

    private void OnSignal(PosixSignalContext context)
    {
        // Keep the runtime from terminating: Main returns once everything is stopped.
        context.Cancel = true;
        if (_requested.IsCancellationRequested)
        {
            _forced.Cancel();
            return;
        }

        FirstSignal = context.Signal;
        _requested.Cancel();
    }
}
