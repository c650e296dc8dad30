using System.Text;
using LlamaSwap.Core.Events;
using LlamaSwap.Core.Logs;
using LlamaSwap.Gateway.Configuration;

namespace LlamaSwap.Gateway.Logs;

/// <summary>
/// Fills the upstream and per-model monitors of <see cref="LogHub"/>: the history the supervisor kept,
/// then every line it publishes on <see cref="EventChannels.UpstreamLogs"/>.
/// </summary>
/// <remarks>
/// Start-up window: the feed subscribes first and holds live lines back while it fetches the
/// history, then writes the history followed by the held lines. Nothing printed after the
/// subscription is lost, but a line printed while the history is being fetched can show up twice
/// (in the history and live). The other order would lose such lines instead; a duplicate line in
/// the seconds after a gateway starts is the cheaper mistake, and exact de-duplication would need
/// sequence numbers shared by the supervisor's history and its messages.
/// </remarks>
internal sealed partial class UpstreamLogFeed(
    LogHub hub,
    ConfigHolder config,
    IEventBus bus,
    UpstreamLogClient client,
    TimeProvider timeProvider,
    ILogger<UpstreamLogFeed> logger) : BackgroundService
{
    // Live lines held back while seeding, at most; a supervisor that is down long enough to fill
    // this is not sending either.
    private const int MaxHeldMessages = 10_000;

    private static readonly TimeSpan[] SeedRetryDelays = [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(8)];

    private readonly Lock _lock = new();
    private Queue<UpstreamLogMessage>? _held = new();
    private IAsyncDisposable? _subscription;

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        // Before anything else runs: the config is loaded (start-up validated it), and from here on
        // the gateway's own lines follow logLevel, logTimeFormat and logToStdout.
        hub.Apply(config.Current);
        return base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (_subscription is not null)
        {
            await _subscription.DisposeAsync();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            _subscription = await bus.SubscribeAsync(EventChannels.UpstreamLogs, OnMessage, stoppingToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The bus is best effort; /logs still shows the history.
            Log.SubscribeFailed(logger, ex);
        }

        try
        {
            await SeedAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return;
        }

        lock (_lock)
        {
            foreach (var message in _held!)
            {
                hub.WriteUpstream(message.Model, message.Text);
            }

            _held = null;
        }
    }

    private async Task SeedAsync(CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                var upstream = await client.GetUpstreamHistoryAsync(cancellationToken);
                var models = await client.GetLoggedModelsAsync(cancellationToken);
                var histories = new List<(string Model, string Text)>(models.Count);
                foreach (var model in models)
                {
                    histories.Add((model, await client.GetModelHistoryAsync(model, cancellationToken)));
                }

                foreach (var (model, text) in histories)
                {
                    hub.ForModel(model).Write(text);
                }

                hub.WriteUpstreamOnly(upstream);
                Log.Seeded(logger, upstream.Length, histories.Count);
                return;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                if (attempt >= SeedRetryDelays.Length)
                {
                    Log.SeedFailed(logger, ex);
                    return;
                }

                await Task.Delay(SeedRetryDelays[attempt], timeProvider, cancellationToken);
            }
        }
    }

    private void OnMessage(string json)
    {
        if (UpstreamLogMessage.FromJson(json) is not { } message)
        {
            Log.BadMessage(logger, json.Length > 200 ? json[..200] : json);
            return;
        }

        lock (_lock)
        {
            if (_held is not null)
            {
                if (_held.Count == MaxHeldMessages)
                {
                    _held.Dequeue();
                }

                _held.Enqueue(message);
                return;
            }
        }

        hub.WriteUpstream(message.Model, message.Text);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 700, Level = LogLevel.Debug, Message = "Upstream logs seeded from the supervisor: {Bytes} bytes, {Models} models")]
        public static partial void Seeded(ILogger logger, int bytes, int models);

        [LoggerMessage(EventId = 701, Level = LogLevel.Warning, Message = "Could not read the upstream log history from the supervisor; upstream logs start empty")]
        public static partial void SeedFailed(ILogger logger, Exception exception);

        [LoggerMessage(EventId = 702, Level = LogLevel.Warning, Message = "Could not subscribe to upstream log lines; the upstream logs will only show what the supervisor kept before now")]
        public static partial void SubscribeFailed(ILogger logger, Exception exception);

        [LoggerMessage(EventId = 703, Level = LogLevel.Warning, Message = "Ignored an upstream log message that is not an UpstreamLogMessage: {Json}")]
        public static partial void BadMessage(ILogger logger, string json);
    }
}
