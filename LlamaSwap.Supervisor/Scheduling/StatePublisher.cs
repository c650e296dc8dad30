using System.Threading.Channels;
using LlamaSwap.Core.Contracts;
using LlamaSwap.Core.State;

namespace LlamaSwap.Supervisor.Scheduling;

/// <summary>
/// Writes model state changes to the shared store off the scheduler loop, in order, so a slow or
/// unreachable Redis never delays a swap or a grant.
/// </summary>
internal sealed partial class StatePublisher(IModelStateStore store, ILogger<StatePublisher> logger) : IAsyncDisposable
{
    private readonly Channel<ModelStateRecord> _pending = Channel.CreateUnbounded<ModelStateRecord>(
        new UnboundedChannelOptions { SingleReader = true });

    private Task? _pump;

    public void Enqueue(ModelStateRecord record)
    {
        _pending.Writer.TryWrite(record);
        _pump ??= Task.Run(PumpAsync);
    }

    public async ValueTask DisposeAsync()
    {
        _pending.Writer.TryComplete();
        if (_pump is not null)
        {
            await _pump.ConfigureAwait(false);
        }
    }

    private async Task PumpAsync()
    {
        await foreach (var record in _pending.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            try
            {
                await store.PublishAsync(record).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The store remembers the record and republishes on reconnect; serving goes on.
                Log.PublishFailed(logger, record.Model, record.State, ex.Message);
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1020, Level = LogLevel.Warning, Message = "Could not publish state {State} of {Model} to the state store: {Reason}")]
        public static partial void PublishFailed(ILogger logger, string model, string state, string reason);
    }
}
