using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace LlamaSwap.TestUpstream;

/// <summary>
/// The whole HTTP surface as one terminal handler: routing by hand keeps start-up cheap and lets any
/// unknown method/path answer 200 (an endpoint router would answer 405 for a known path).
/// </summary>
internal sealed partial class Responder(
    UpstreamOptions options,
    JsonLinesFile? events,
    JsonLinesFile? records,
    Stopwatch sinceStart,
    CancellationToken stopping)
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private int _healthy;

    public async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        if (HttpMethods.IsGet(request.Method) && request.Path == "/health")
        {
            await HealthAsync(context);
            return;
        }

        if (request.Path == WebSocketEcho.Path && context.WebSockets.IsWebSocketRequest)
        {
            WriteEvent("websocket-start");
            await WebSocketEcho.RunAsync(context, stopping);
            WriteEvent("websocket-end");
            return;
        }

        var body = await ReadBodyAsync(request);
        WriteEvent("request-start", new JsonObject { ["path"] = request.Path.Value });
        if (options.ExitOnRequest is { } exitCode)
        {
            await Console.Error.WriteLineAsync($"test upstream exiting with code {exitCode} during {request.Path.Value}");
            Environment.Exit(exitCode);
        }

        Record(context, body);

        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
        var cancellationToken = cancellation.Token;
        try
        {
            if (int.TryParse(request.Query["wait"], NumberStyles.Integer, CultureInfo.InvariantCulture, out var waitMs) && waitMs > 0)
            {
                await Task.Delay(waitMs, cancellationToken);
            }

            await DispatchAsync(context, body, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Client gone or the process is stopping: nothing left to answer.
        }
    }

    private Task DispatchAsync(HttpContext context, byte[] body, CancellationToken cancellationToken)
    {
        var method = context.Request.Method;
        var path = context.Request.Path.Value ?? "/";
        if (HttpMethods.IsGet(method))
        {
            return path == "/v1/models" ? WriteJsonAsync(context, ModelList(), cancellationToken) : EchoAsync(context, cancellationToken);
        }

        if (!HttpMethods.IsPost(method))
        {
            return EchoAsync(context, cancellationToken);
        }

        if (options.OpenAiOnly && path.StartsWith("/v1/messages", StringComparison.Ordinal))
        {
            return NotFoundAsync(context, cancellationToken);
        }

        return path switch
        {
            "/v1/chat/completions" => ChatCompletionsAsync(context, body, cancellationToken),
            "/v1/completions" or "/completion" or "/infill" => CompletionsAsync(context, body, cancellationToken),
            "/v1/embeddings" => EmbeddingsAsync(context, body, cancellationToken),
            "/v1/audio/transcriptions" => TranscriptionsAsync(context, cancellationToken),
            "/v1/rerank" or "/rerank" or "/v1/reranking" or "/reranking" => RerankAsync(context, body, cancellationToken),
            "/v1/images/generations" => ImagesAsync(context, body, cancellationToken),
            "/v1/audio/speech" => SpeechAsync(context, body, cancellationToken),
            "/v1/messages" => MessagesAsync(context, body, cancellationToken),
            _ => EchoAsync(context, cancellationToken),
        };
    }

    private async Task HealthAsync(HttpContext context)
    {
        if (sinceStart.Elapsed < options.StartupDelay)
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            await WriteJsonAsync(context, new JsonObject { ["status"] = "loading" }, context.RequestAborted);
            return;
        }

        // Written before the answer leaves, so "healthy -> caller noticed" gaps measured by tests are
        // never understated.
        if (Interlocked.Exchange(ref _healthy, 1) == 0)
        {
            WriteEvent("healthy");
        }

        await WriteJsonAsync(context, new JsonObject { ["status"] = "ok" }, context.RequestAborted);
    }

    private Task EchoAsync(HttpContext context, CancellationToken cancellationToken) =>
        WriteJsonAsync(context, new JsonObject
        {
            ["method"] = context.Request.Method,
            ["path"] = context.Request.Path.Value,
            ["query"] = Query(context.Request),
        }, cancellationToken);

    public void WriteEvent(string name, JsonObject? extra = null)
    {
        if (events is null)
        {
            return;
        }

        var line = new JsonObject { ["event"] = name, ["time"] = JsonLinesFile.Now(), ["pid"] = Environment.ProcessId };
        foreach (var (key, value) in extra ?? [])
        {
            line[key] = value?.DeepClone();
        }

        events.Write(line);
    }

    private void Record(HttpContext context, byte[] body)
    {
        if (records is null)
        {
            return;
        }

        var headers = new JsonObject();
        foreach (var (name, values) in context.Request.Headers)
        {
            headers[name] = values.ToString();
        }

        var text = TryDecodeText(body);
        records.Write(new JsonObject
        {
            ["time"] = JsonLinesFile.Now(),
            ["method"] = context.Request.Method,
            ["path"] = context.Request.Path.Value,
            ["query"] = Query(context.Request),
            ["headers"] = headers,
            ["body"] = text ?? Convert.ToBase64String(body),
            ["bodyBase64"] = text is null,
            ["pid"] = Environment.ProcessId,
        });
    }

    /// <summary>The body as text when it is valid UTF-8 without NULs, else null (binary: recorded as base64).</summary>
    private static string? TryDecodeText(byte[] body)
    {
        try
        {
            var text = StrictUtf8.GetString(body);
            return text.Contains('\0', StringComparison.Ordinal) ? null : text;
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }

    private static string Query(HttpRequest request) => request.QueryString.HasValue ? request.QueryString.Value![1..] : "";

    private static async Task<byte[]> ReadBodyAsync(HttpRequest request)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, request.HttpContext.RequestAborted);
        var bytes = buffer.ToArray();

        // Handlers that parse forms read the body again.
        request.Body = new MemoryStream(bytes, writable: false);
        return bytes;
    }

    private static JsonObject? ParseObject(byte[] body)
    {
        try
        {
            return body.Length == 0 ? null : JsonNode.Parse(body) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private Task BadRequestAsync(HttpContext context, string message, CancellationToken cancellationToken)
    {
        context.Response.StatusCode = StatusCodes.Status400BadRequest;
        return WriteJsonAsync(context, new JsonObject
        {
            ["error"] = new JsonObject { ["message"] = message, ["type"] = "invalid_request_error" },
        }, cancellationToken);
    }

    private Task NotFoundAsync(HttpContext context, CancellationToken cancellationToken)
    {
        context.Response.StatusCode = StatusCodes.Status404NotFound;
        return WriteJsonAsync(context, new JsonObject
        {
            ["error"] = new JsonObject { ["message"] = $"{context.Request.Path.Value} not found", ["type"] = "not_found_error" },
        }, cancellationToken);
    }

    private Task WriteJsonAsync(HttpContext context, JsonNode json, CancellationToken cancellationToken)
    {
        context.Response.ContentType = "application/json";
        var text = json.ToJsonString(JsonLinesFile.Relaxed);
        if (options.Gzip && context.Request.Headers.AcceptEncoding.ToString().Contains("gzip", StringComparison.OrdinalIgnoreCase))
        {
            return WriteGzipAsync(context, text, cancellationToken);
        }

        return options.SplitWrites ? WriteSplitAsync(context, text, cancellationToken) : context.Response.WriteAsync(text, cancellationToken);
    }

    /// <summary>Headers in one send, the body in another (see <see cref="UpstreamOptions.SplitWrites"/>).</summary>
    private static async Task WriteSplitAsync(HttpContext context, string text, CancellationToken cancellationToken)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        context.Response.ContentLength = bytes.Length;
        await context.Response.StartAsync(cancellationToken);
        await context.Response.Body.FlushAsync(cancellationToken);

        // Kestrel's output loop would coalesce both into one send; give the headers their own.
        await Task.Delay(TimeSpan.FromMilliseconds(2), cancellationToken);
        await context.Response.Body.WriteAsync(bytes, cancellationToken);
    }

    private static async Task WriteGzipAsync(HttpContext context, string text, CancellationToken cancellationToken)
    {
        using var compressed = new MemoryStream();
        await using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            await gzip.WriteAsync(Encoding.UTF8.GetBytes(text), cancellationToken);
        }

        context.Response.Headers.ContentEncoding = "gzip";
        context.Response.ContentLength = compressed.Length;
        await context.Response.Body.WriteAsync(compressed.GetBuffer().AsMemory(0, (int)compressed.Length), cancellationToken);
    }

    private static async Task StartEventStreamAsync(HttpContext context, CancellationToken cancellationToken)
    {
        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        await context.Response.StartAsync(cancellationToken);
    }

    private static async Task WriteEventAsync(HttpContext context, string? eventName, string data, CancellationToken cancellationToken)
    {
        var frame = eventName is null ? $"data: {data}\n\n" : $"event: {eventName}\ndata: {data}\n\n";
        await context.Response.WriteAsync(frame, cancellationToken);
        await context.Response.Body.FlushAsync(cancellationToken);
    }

    private async Task DelayBetweenChunksAsync(int index, CancellationToken cancellationToken)
    {
        if (index > 0 && options.ChunkDelay > TimeSpan.Zero)
        {
            await Task.Delay(options.ChunkDelay, cancellationToken);
        }
    }

    /// <summary>The respond text cut into <c>--chunks</c> pieces whose concatenation is exactly the text.</summary>
    private string[] Pieces()
    {
        var text = options.Respond;
        var count = options.Chunks;
        var pieces = new string[count];
        for (var i = 0; i < count; i++)
        {
            var start = text.Length * i / count;
            var end = text.Length * (i + 1) / count;
            pieces[i] = text[start..end];
        }

        return pieces;
    }

    private static string? AsString(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    private static bool AsBool(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<bool>(out var flag) && flag;

    private string ModelOf(JsonObject? request) => AsString(request?["model"]) ?? options.Model;

    private static long Created() => DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    private static string NewId(string prefix) => prefix + Guid.NewGuid().ToString("N")[..24];
}
