using System.Globalization;
using System.Text;
using System.Text.Json;
using LlamaSwap.Core.Configuration;
using LlamaSwap.Core.Contracts;
using LlamaSwap.Core.Http;
using LlamaSwap.Gateway.Events;
using LlamaSwap.Gateway.Supervision;

namespace LlamaSwap.Gateway.Loading;

/// <summary>
/// <c>sendLoadingState</c> (reference 5.3): while a streaming chat request waits for its model, the
/// client gets progress as <c>reasoning_content</c> chunks, then the upstream's own stream on the
/// same response. Unlike llama-swap's, every chunk is a complete <c>chat.completion.chunk</c>
/// (<c>id</c>, <c>object</c>, <c>created</c>, <c>model</c>) so strict clients accept it, and the text
/// shows the queue position, the time waited and, when the supervisor can measure it, how much of
/// the model files has loaded with an ETA (a line each time the whole percent changes).
/// </summary>
internal sealed class LoadingStream
{
    /// <summary>An acquire answered within this time never shows a loading stream (and a 429 never follows one).</summary>
    public static readonly TimeSpan StartAfter = TimeSpan.FromMilliseconds(50);

    /// <summary>llama-swap's pace for dots and queue positions.</summary>
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(750);

    /// <summary>How often the load estimate is looked at: the supervisor publishes one at most every 250 ms.</summary>
    private static readonly TimeSpan ProgressTick = TimeSpan.FromMilliseconds(250);
    private static readonly byte[] DataPrefix = "data: "u8.ToArray();
    private static readonly byte[] EventEnd = "\n\n"u8.ToArray();
    private const string Rule = "━━━━━";

    // Hop-by-hop and body headers are the client's connection's own; Accept-Encoding is dropped
    // because compressed bytes cannot be spliced into a stream whose headers are already out.
    private static readonly HashSet<string> NotForwarded = new(StringComparer.OrdinalIgnoreCase)
    {
        "Host", "Connection", "Keep-Alive", "Transfer-Encoding", "TE", "Upgrade", "Proxy-Connection",
        "Content-Length", "Content-Type", "Accept-Encoding",
    };

    private readonly HttpContext _context;
    private readonly string _requestedName;
    private readonly SupervisorClient _supervisor;
    private readonly TimeProvider _time;
    private readonly ModelStatusFeed? _states;
    private readonly string _id = "chatcmpl-loading-" + Guid.NewGuid().ToString("N");
    private readonly long _created = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
    private long _startedAt;

    private LoadingStream(HttpContext context, string requestedName, SupervisorClient supervisor, TimeProvider time, ModelStatusFeed? states)
    {
        _context = context;
        _requestedName = requestedName;
        _supervisor = supervisor;
        _time = time;
        _states = states;
    }

    /// <summary>Set once the 200 and the first progress chunk are out: from then on errors go in the stream.</summary>
    public bool Started { get; private set; }

    /// <summary>A loading stream for this request, or null when it does not apply (reference 5.3 conditions).</summary>
    public static LoadingStream? For(
        HttpContext context, LlamaSwapConfig config, ModelConfig model, string requestedName, ReadOnlyMemory<byte>? body,
        SupervisorClient supervisor, TimeProvider time)
    {
        var path = context.Request.Path.Value ?? "";
        return (model.SendLoadingState ?? config.SendLoadingState)
               && path.StartsWith("/v1/chat/completions", StringComparison.Ordinal)
               && body is { } json && IsStreamingRequest(json.Span)
            // The states feed already holds every published state (load estimates included) in memory:
            // reading it costs nothing, where asking Redis or the supervisor would cost a call per tick.
            ? new LoadingStream(context, requestedName, supervisor, time, context.RequestServices.GetService<ModelStatusFeed>())
            : null;
    }

    /// <summary>Streams progress until <paramref name="acquiring"/> completes (or the client leaves).</summary>
    public async Task ShowProgressUntilAsync(Task acquiring, string requestId, string modelId)
    {
        var aborted = _context.RequestAborted;
        var response = _context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        _startedAt = _time.GetTimestamp();
        Started = true;
        try
        {
            await WriteChunkAsync($"{Rule}\nllama-swap loading model: {modelId}\n");
            int? shownPosition = null;
            int? shownPercent = null;
            var ticks = 0;
            var sinceTick = TimeSpan.Zero;
            while (!acquiring.IsCompleted)
            {
                await Task.WhenAny(acquiring, Task.Delay(ProgressTick, _time, aborted));
                if (acquiring.IsCompleted || aborted.IsCancellationRequested)
                {
                    return;
                }

                if (_states?.ProgressOf(modelId) is { } progress && Percent(progress) != shownPercent)
                {
                    shownPercent = Percent(progress);
                    await WriteChunkAsync($"\n{FormatProgress(modelId, progress)}\n");
                    sinceTick = TimeSpan.Zero;
                    continue;
                }

                sinceTick += ProgressTick;
                if (sinceTick < Tick)
                {
                    continue;
                }

                sinceTick = TimeSpan.Zero;

                var position = await _supervisor.GetQueuePositionAsync(requestId, aborted);
                var text = position is > 0 && position != shownPosition
                    ? $"\nQueue position: #{position} ({Elapsed():F0}s)\n"
                    : ++ticks % 5 == 0 ? $" {Elapsed():F0}s " : ".";
                shownPosition = position is > 0 ? position : shownPosition;
                await WriteChunkAsync(text);
            }
        }
        catch (Exception ex) when (aborted.IsCancellationRequested && ex is OperationCanceledException or IOException)
        {
            // The client left; the acquire is cancelled with it.
        }
    }

    /// <summary>Closes the loading text once the model is ready.</summary>
    public Task FinishAsync() => WriteChunkAsync($"\nDone! ({Elapsed():F1}s)\n{Rule}\n\n");

    /// <summary>The upstream's response, appended to the stream already under way (its status and headers can no longer be sent).</summary>
    public async Task AppendUpstreamAsync(HttpMessageInvoker invoker, string upstream, string pathAndQuery, ReadOnlyMemory<byte> body, string? contentType)
    {
        var aborted = _context.RequestAborted;
        using var request = new HttpRequestMessage(HttpMethod.Post, upstream.TrimEnd('/') + pathAndQuery)
        {
            Content = new ReadOnlyMemoryContent(body),
        };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType ?? "application/json");
        foreach (var (name, values) in _context.Request.Headers)
        {
            if (!NotForwarded.Contains(name))
            {
                request.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values);
            }
        }

        using var upstreamResponse = await invoker.SendAsync(request, aborted);
        if (!upstreamResponse.IsSuccessStatusCode)
        {
            await WriteErrorAsync((int)upstreamResponse.StatusCode, $"upstream answered {(int)upstreamResponse.StatusCode}: {await upstreamResponse.Content.ReadAsStringAsync(aborted)}", null);
            return;
        }

        await using var stream = await upstreamResponse.Content.ReadAsStreamAsync(aborted);
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await stream.ReadAsync(buffer, aborted)) > 0)
        {
            // Every read goes straight out: SSE chunks must not wait for a buffer to fill.
            await _context.Response.Body.WriteAsync(buffer.AsMemory(0, read), aborted);
            await _context.Response.Body.FlushAsync(aborted);
        }
    }

    /// <summary>An error after the 200 was sent: an SSE event with the usual envelope, then the end of the stream.</summary>
    public async Task WriteErrorAsync(int status, string message, string? code)
    {
        var envelope = ErrorResponses.Format(status, message, accept: null, code);
        await WriteEventAsync(Encoding.UTF8.GetBytes(envelope.Body));
        await WriteEventAsync("[DONE]"u8.ToArray());
    }

    /// <summary>One progress line: <c>loading m: 42% (120 MB of 286 MB, ~3 s left)</c>.</summary>
    internal static string FormatProgress(string modelId, LoadProgress progress)
    {
        var eta = progress.EtaMs is > 0 and { } ms
            ? ms >= 90_000
                ? string.Create(CultureInfo.InvariantCulture, $", ~{Math.Ceiling(ms / 60_000.0):F0} min left")
                : string.Create(CultureInfo.InvariantCulture, $", ~{Math.Ceiling(ms / 1000.0):F0} s left")
            : "";
        return string.Create(CultureInfo.InvariantCulture, $"loading {modelId}: {Percent(progress)}% ({Size(progress.Bytes)} of {Size(progress.TotalBytes)}{eta})");
    }

    private static int Percent(LoadProgress progress) => (int)Math.Floor(Math.Clamp(progress.Fraction, 0, 1) * 100);

    /// <summary>Decimal units, as file sizes are usually shown.</summary>
    private static string Size(long bytes) => bytes switch
    {
        >= 1_000_000_000 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1e9:F1} GB"),
        >= 10_000_000 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1e6:F0} MB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1e6:F1} MB"),
    };

    private double Elapsed() => _time.GetElapsedTime(_startedAt).TotalSeconds;

    private Task WriteChunkAsync(string reasoning) => WriteEventAsync(Chunk(reasoning));

    private async Task WriteEventAsync(byte[] payload)
    {
        var body = _context.Response.Body;
        await body.WriteAsync(DataPrefix, _context.RequestAborted);
        await body.WriteAsync(payload, _context.RequestAborted);
        await body.WriteAsync(EventEnd, _context.RequestAborted);
        await body.FlushAsync(_context.RequestAborted);
    }

    private byte[] Chunk(string reasoning)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("id", _id);
            json.WriteString("object", "chat.completion.chunk");
            json.WriteNumber("created", _created);
            json.WriteString("model", _requestedName);
            json.WriteStartArray("choices");
            json.WriteStartObject();
            json.WriteNumber("index", 0);
            json.WriteStartObject("delta");
            json.WriteString("reasoning_content", reasoning);
            json.WriteEndObject();
            json.WriteNull("finish_reason");
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>Top-level <c>"stream": true</c> in a JSON body.</summary>
    internal static bool IsStreamingRequest(ReadOnlySpan<byte> json)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isStream = reader.ValueTextEquals("stream"u8);
                reader.Read();
                if (isStream)
                {
                    return reader.TokenType == JsonTokenType.True;
                }

                reader.Skip();
            }
        }
        catch (JsonException)
        {
            // Not JSON: the gateway already forwards such bodies untouched.
        }

        return false;
    }
}
