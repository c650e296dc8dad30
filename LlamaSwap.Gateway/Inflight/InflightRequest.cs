using System.Globalization;
using LlamaSwap.Gateway.Activity;
using LlamaSwap.Gateway.ClientAuth;
using LlamaSwap.Gateway.Usage;
using Microsoft.Net.Http.Headers;

namespace LlamaSwap.Gateway.Inflight;

/// <summary>
/// One model request this gateway is serving: what the in-flight list shows, the timings the
/// forwarder collects, and (when activity recording is on) the taps the recorder reads once the
/// request is over. Written by the request's own flow only; other threads read it through
/// <see cref="ToEntry"/>. It outlives its <see cref="HttpContext"/>, so it copies what it keeps.
/// </summary>
internal sealed class InflightRequest
{
    private readonly InflightRequests _owner;
    private HttpContext? _context;
    private long _responseBytes;
    private long _lastProgress;

    internal InflightRequest(InflightRequests owner, long id, HttpContext context, DateTimeOffset timestamp, long startTimestamp)
    {
        _owner = owner;
        _context = context;
        Id = id;
        Timestamp = timestamp;
        StartTimestamp = startTimestamp;
        var request = context.Request;
        Method = request.Method;
        Path = request.Path.Value ?? "/";
        RequestHeaders = WithCredential(SensitiveHeaders.Copy(request.Headers), context.Features.Get<ClientCredential>());
        RemoteIp = ClientIp(context);
        KeyName = UsageKeyName.Of(context);
    }

    public long Id { get; }

    public DateTimeOffset Timestamp { get; }

    /// <summary>When the gateway began handling the request (<see cref="TimeProvider.GetTimestamp"/> units).</summary>
    public long StartTimestamp { get; }

    public string Method { get; }

    public string Path { get; }

    public string RemoteIp { get; }

    /// <summary>First value of each request header as received (unredacted: captures redact on storing).</summary>
    public KeyValuePair<string, string>[] RequestHeaders { get; }

    /// <summary>The request goes to <paramref name="model"/> with <paramref name="body"/> (after rewrites and filters).</summary>
    public void Dispatched(string model, ReadOnlyMemory<byte>? body)
    {
        Model = model;
        if (Tap is { } tap)
        {
            tap.RequestBody = body;
        }
    }

    /// <summary>The key the request is attributed to (<see cref="UsageKeyName"/>).</summary>
    public string KeyName { get; }

    /// <summary>The model-dispatched route, when it differs from <see cref="Path"/> (<c>/upstream/m/v1/...</c> -> <c>/v1/...</c>).</summary>
    public string? Route { get; set; }

    /// <summary>The model the request was dispatched to, once known.</summary>
    public string? Model { get; set; }

    /// <summary>Response headers as they went out; null until the response started.</summary>
    public KeyValuePair<string, string>[]? ResponseHeaders { get; private set; }

    public long ResponseBytes => Interlocked.Read(ref _responseBytes);

    /// <summary>Ms the supervisor kept the request queued (-1 until a lease was granted).</summary>
    public double QueueWaitMs { get; private set; } = -1;

    /// <summary>Ms the supervisor spent loading the model for it (-1 until a lease was granted).</summary>
    public double LoadMs { get; private set; } = -1;

    /// <summary>When the upstream request was sent (0 until then).</summary>
    public long SentTimestamp { get; private set; }

    /// <summary>When the first response body byte went out (0 until then).</summary>
    public long FirstByteTimestamp { get; private set; }

    /// <summary>When the request was over (0 until then).</summary>
    public long EndTimestamp { get; private set; }

    public DateTimeOffset EndTime { get; private set; }

    public int StatusCode { get; private set; }

    public string? ContentType { get; private set; }

    public string? ContentEncoding { get; private set; }

    /// <summary>The copies the activity recorder parses; null when the request is not recorded.</summary>
    public ActivityTap? Tap { get; set; }

    internal HttpContext? Context => _context;

    /// <summary>The supervisor granted a lease: what it says the request waited for.</summary>
    public void OnLeaseGranted(double queueWaitMs, double loadMs)
    {
        QueueWaitMs = queueWaitMs;
        LoadMs = loadMs;
    }

    /// <summary>The request to the upstream is being sent now.</summary>
    public void OnSendingUpstream() => SentTimestamp = _owner.Time.GetTimestamp();

    /// <summary>The response is about to send its headers: keep them for the in-flight list and the capture.</summary>
    public void OnResponseStarted(HttpResponse response)
    {
        if (ResponseHeaders is not null)
        {
            return;
        }

        ResponseHeaders = SensitiveHeaders.Copy(response.Headers);
        _owner.Raise(this, InflightChange.ResponseStarted);
    }

    /// <summary>Body bytes went to the client (hot path: a counter, and a throttled event).</summary>
    public void OnResponseBytes(int count)
    {
        var total = Interlocked.Add(ref _responseBytes, count);
        if (total == count)
        {
            FirstByteTimestamp = _owner.Time.GetTimestamp();
            _lastProgress = FirstByteTimestamp;
            return;
        }

        if (_owner.HasListeners)
        {
            var now = _owner.Time.GetTimestamp();
            if (now - _lastProgress >= _owner.ProgressIntervalTicks)
            {
                _lastProgress = now;
                _owner.Raise(this, InflightChange.Progress);
            }
        }
    }

    /// <summary>The request is over: keeps the response's final status and headers and lets go of the context.</summary>
    internal void OnEnded()
    {
        var context = _context!;
        var response = context.Response;
        EndTimestamp = _owner.Time.GetTimestamp();
        EndTime = _owner.Time.GetUtcNow();
        StatusCode = response.StatusCode;
        ContentType = response.ContentType;
        ContentEncoding = response.Headers.ContentEncoding.Count > 0 ? response.Headers.ContentEncoding[0] : null;
        ResponseHeaders ??= SensitiveHeaders.Copy(response.Headers);
        _context = null;
    }

    /// <summary>Ms from the request's arrival to <paramref name="timestamp"/>.</summary>
    /// <summary>The current timestamp on the registry's clock.</summary>
    public long Now => _owner.Time.GetTimestamp();

    public double MsSinceStart(long timestamp) => _owner.Time.GetElapsedTime(StartTimestamp, timestamp).TotalMilliseconds;

    /// <summary>The reference in-flight entry as of now.</summary>
    public InflightEntry ToEntry() => new()
    {
        Id = Id.ToString(CultureInfo.InvariantCulture),
        Timestamp = Timestamp,
        Model = Model ?? "",
        RequestPath = Path,
        Method = Method,
        RequestHeaders = SensitiveHeaders.Redact(RequestHeaders),
        RemoteIp = RemoteIp,
        ResponseHeaders = ResponseHeaders is { } headers ? SensitiveHeaders.Redact(headers) : new Dictionary<string, string>(),
        ResponseBytes = ResponseBytes,
        ElapsedMs = (long)_owner.Time.GetElapsedTime(StartTimestamp).TotalMilliseconds,
    };

    /// <summary>As llama-swap's access log: first <c>X-Forwarded-For</c>, else <c>X-Real-IP</c>, else the peer address.</summary>
    private static string ClientIp(HttpContext context)
    {
        var forwarded = context.Request.Headers["X-Forwarded-For"];
        if (forwarded.Count > 0 && forwarded[0] is { Length: > 0 } list)
        {
            var comma = list.IndexOf(',', StringComparison.Ordinal);
            return (comma < 0 ? list : list[..comma]).Trim();
        }

        var realIp = context.Request.Headers["X-Real-IP"];
        return realIp.Count > 0 && !string.IsNullOrEmpty(realIp[0])
            ? realIp[0]!
            : context.Connection.RemoteIpAddress?.ToString() ?? "";
    }

    /// <summary>
    /// The client's credential headers, which <see cref="ClientCredentialMiddleware"/> took out of the
    /// request before it was tracked: listed as received (redacted whenever shown or stored).
    /// </summary>
    private static KeyValuePair<string, string>[] WithCredential(KeyValuePair<string, string>[] headers, ClientCredential? credential)
    {
        if (credential is null || credential.IsEmpty)
        {
            return headers;
        }

        var list = headers.ToList();
        if (!Microsoft.Extensions.Primitives.StringValues.IsNullOrEmpty(credential.Authorization))
        {
            list.Add(new(HeaderNames.Authorization, credential.Authorization[0] ?? ""));
        }

        if (!Microsoft.Extensions.Primitives.StringValues.IsNullOrEmpty(credential.ApiKey))
        {
            list.Add(new(ClientCredential.ApiKeyHeader, credential.ApiKey[0] ?? ""));
        }

        return [.. list];
    }
}
