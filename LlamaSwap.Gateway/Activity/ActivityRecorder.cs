using System.Threading.Channels;
using LlamaSwap.Gateway.Inflight;
using LlamaSwap.Gateway.Usage;
using Microsoft.Extensions.Options;
using TraceActivity = System.Diagnostics.Activity;

namespace LlamaSwap.Gateway.Activity;

/// <summary>
/// Turns finished requests into activity rows and captures, off the request path: the request only
/// posts itself (<see cref="Post"/>, never blocking; dropped and counted when the queue is full);
/// this service parses usage, stores the row and capture, finishes the trace span and tells every
/// <see cref="IActivityListener"/>.
/// </summary>
internal sealed partial class ActivityRecorder : BackgroundService
{
    private readonly Channel<InflightRequest> _jobs;
    private readonly ActivityStore _store;
    private readonly IActivityListener[] _listeners;
    private readonly ActivityOptions _options;
    private readonly ILogger<ActivityRecorder> _logger;
    private long _pendingBytes;
    private long _dropped;
    private int _dropping;

    public ActivityRecorder(
        ActivityStore store, IEnumerable<IActivityListener> listeners, IOptions<ActivityOptions> options,
        ILogger<ActivityRecorder> logger)
    {
        _store = store;
        _listeners = [.. listeners];
        _options = options.Value;
        _logger = logger;
        _jobs = Channel.CreateBounded<InflightRequest>(new BoundedChannelOptions(Math.Max(1, _options.QueueCapacity))
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    /// <summary>False when <c>Gateway:Activity:Enabled</c> is off: requests are neither teed nor recorded.</summary>
    public bool Enabled => _options.Enabled;

    /// <summary>Requests not recorded because the recorder was behind, since start.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Hands a finished request to the recorder (called once its response is complete). Never blocks.</summary>
    public void Post(InflightRequest request)
    {
        if (request.Tap is not { } tap)
        {
            return;
        }

        if (request.Model is null)
        {
            // No model was identified (a 404 of its own): llama-swap records nothing either.
            tap.Dispose();
            return;
        }

        if (!_store.CapturesEnabled)
        {
            tap.RequestBody = null;
        }

        var bytes = Cost(tap);
        if (Interlocked.Add(ref _pendingBytes, bytes) > _options.QueueBytes || !_jobs.Writer.TryWrite(request))
        {
            Interlocked.Add(ref _pendingBytes, -bytes);
            tap.Dispose();
            Interlocked.Increment(ref _dropped);
            if (Interlocked.Exchange(ref _dropping, 1) == 0)
            {
                Log.DroppingStarted(_logger);
            }

            return;
        }

        if (Volatile.Read(ref _dropping) == 1 && Interlocked.Exchange(ref _dropping, 0) == 1)
        {
            Log.DroppingEnded(_logger, Dropped);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var request in _jobs.Reader.ReadAllAsync(stoppingToken))
            {
                var tap = request.Tap!;
                try
                {
                    Record(request, tap);
                }
                catch (Exception ex)
                {
                    // One bad body must not stop recording for everyone else.
                    Log.RecordFailed(_logger, request.Id, request.Model ?? "", ex);
                }
                finally
                {
                    Interlocked.Add(ref _pendingBytes, -Cost(tap));
                    tap.Dispose();
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: requests still queued are not recorded.
        }
    }

    private void Record(InflightRequest request, ActivityTap tap)
    {
        var wallMs = request.MsSinceStart(request.EndTimestamp);
        var truncated = tap.Response.Truncated;
        var kept = tap.Response.Kept();
        var decoded = truncated && !string.IsNullOrEmpty(request.ContentEncoding) ? null : BodyDecoder.Decode(kept, request.ContentEncoding);
        var usage = UsageParser.ParseDecoded(decoded is { } body ? body.Span : [], request.ContentType, request.StatusCode, wallMs, truncated);

        var row = new ActivityEntry
        {
            Timestamp = request.Timestamp,
            Model = request.Model!,
            RequestPath = request.Path,
            ResponseContentType = request.ContentType ?? "",
            ResponseStatusCode = request.StatusCode,
            Tokens = usage.Tokens,
            DurationMs = (long)Math.Round(usage.DurationMs),
            ErrorMessage = usage.ErrorMessage,
            Streaming = request.ContentType?.Contains("text/event-stream", StringComparison.OrdinalIgnoreCase) == true,
            FirstByteMs = request.FirstByteTimestamp != 0 ? Round(request.MsSinceStart(request.FirstByteTimestamp)) : -1,
            QueueWaitMs = request.QueueWaitMs,
            LoadMs = request.LoadMs,
            KeyName = request.KeyName,
        };

        // The store numbers the row and decides whether the capture fits (has_capture).
        var capture = _store.CapturesEnabled && !truncated ? CaptureBuilder.Build(0, request, tap, decoded) : null;
        var entry = _store.Record(row, capture);
        FinishTrace(tap, entry, request.EndTime);

        foreach (var listener in _listeners)
        {
            try
            {
                listener.OnRecorded(entry);
            }
            catch (Exception ex)
            {
                Log.ListenerFailed(_logger, listener.GetType().Name, entry.Id, ex);
            }
        }
    }

    private static void FinishTrace(ActivityTap tap, ActivityEntry entry, DateTimeOffset end)
    {
        if (tap.Trace is not { } trace)
        {
            return;
        }

        tap.Trace = null;
        if (entry.Tokens.InputTokens >= 0)
        {
            trace.SetTag("gen_ai.usage.input_tokens", entry.Tokens.InputTokens);
        }

        if (entry.Tokens.OutputTokens >= 0)
        {
            trace.SetTag("gen_ai.usage.output_tokens", entry.Tokens.OutputTokens);
        }

        trace.SetTag("http.response.status_code", entry.ResponseStatusCode);
        trace.SetEndTime(end.UtcDateTime);

        // Stop makes the span's parent current on this thread: keep the recorder's own context.
        var current = TraceActivity.Current;
        trace.Stop();
        TraceActivity.Current = current;
    }

    private static long Cost(ActivityTap tap)
        => tap.Response.KeptBytes + (tap.StreamedRequest?.KeptBytes ?? 0) + (tap.RequestBody?.Length ?? 0);

    private static double Round(double ms) => Math.Round(ms, 3);
}
