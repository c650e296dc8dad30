using System.Collections.Concurrent;
using System.Diagnostics;

namespace LlamaSwap.Cli.Start;

/// <summary>
/// Starts every child from one thread that lives as long as the launcher. A child started through
/// <c>setpriv --pdeathsig</c> gets the signal when the THREAD that forked it ends, not the process;
/// a thread-pool thread may retire at any time, this one does not.
/// </summary>
internal sealed class ProcessSpawner : IDisposable
{
    private readonly BlockingCollection<(ProcessStartInfo Start, TaskCompletionSource<Process> Done)> _queue = [];
    private readonly Thread _thread;

    public ProcessSpawner()
    {
        _thread = new Thread(Run) { IsBackground = true, Name = "llamaswap spawner" };
        _thread.Start();
    }

    public Task<Process> StartAsync(ProcessStartInfo start)
    {
        var done = new TaskCompletionSource<Process>(TaskCreationOptions.RunContinuationsAsynchronously);
        _queue.Add((start, done));
        return done.Task;
    }

    public void Dispose() => _queue.CompleteAdding();

    private void Run()
    {
        foreach (var (start, done) in _queue.GetConsumingEnumerable())
        {
            try
            {
                done.SetResult(Process.Start(start) ?? throw new InvalidOperationException($"could not start {start.FileName}"));
            }
            catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException)
            {
                done.SetException(ex);
            }
        }

        // Keep the thread (and so the death signal of its children) until the process ends.
        Thread.Sleep(Timeout.Infinite);
    }
}
