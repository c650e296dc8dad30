using System.Threading.Channels;
using LlamaSwap.Core.Events;
using LlamaSwap.Core.Logs;
using LlamaSwap.Supervisor.Processes;

namespace LlamaSwap.Supervisor.Logs;

/// <summary>
/// Relays every upstream output line to the gateways (<see cref="EventChannels.UpstreamLogs"/>).
/// The output pumps only enqueue: a bounded queue drained by one publishing loop, so neither a slow
/// Redis nor a flood of output ever holds up the reader of an upstream's pipes (a full pipe would
/// stall the upstream itself). When the queue is full the oldest lines go and a warning says so.
/// </summary>
internal sealed partial class UpstreamLogPublisher : BackgroundService
{
    /// <summary>Lines waiting to be published before the oldest are dropped.</summary>
    public const int QueueCapacity = 10_000;

    private readonly UpstreamOutput _output;
    private readonly IEventBus _bus;
    private readonly ILogger<UpstreamLogPublisher> _logger;
    private readonly Channel<UpstreamLogMessage> _queue;
    private long _dropped;

    public UpstreamLogPublisher(UpstreamOutput output, IEventBus bus, ILogger<UpstreamLogPublisher> logger)
    {
        _output = output;
        _bus = bus;
        _logger = logger;
        _queue = Channel.CreateBounded<UpstreamLogMessage>(
            new BoundedChannelOptions(QueueCapacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true },
            _ => Interlocked.Increment(ref _dropped));

        // Subscribed here, not in ExecuteAsync: the host builds every hosted service before starting
        // any, so no model (preload included) can print before this handler is in place.
        _output.LineWritten += OnLineWritten;
    }

    public override void Dispose()
    {
        _output.LineWritten -= OnLineWritten;
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var message in _queue.Reader.ReadAllAsync(stoppingToken))
            {
                if (Interlocked.Exchange(ref _dropped, 0) is > 0 and var dropped)
                {
                    Log.LinesDropped(_logger, dropped);
                }

                await _bus.PublishAsync(EventChannels.UpstreamLogs, message.ToJson());
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: whatever is still queued is in the history the supervisor serves.
        }
    }

    private void OnLineWritten(UpstreamOutputLine line)
        => _queue.Writer.TryWrite(new UpstreamLogMessage(line.ModelId, line.Text + "\n"));

    private static partial class Log
    {
        [LoggerMessage(EventId = 1400, Level = LogLevel.Warning, Message = "{Count} upstream log lines were not relayed to the gateways: output came faster than it could be published")]
        public static partial void LinesDropped(ILogger logger, long count);
    }
}
