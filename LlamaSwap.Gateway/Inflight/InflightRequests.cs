using System.Collections.Concurrent;

namespace LlamaSwap.Gateway.Inflight;

/// <summary>
/// The model requests this gateway is serving, by decimal id (reference 2.3, 2.4): listed with
/// <see cref="Snapshot"/>, followed with <see cref="Changed"/>, cancelled with
/// <c>POST /api/inflight/{id}/cancel</c>. Each response carries its id in <see cref="IdHeader"/>.
/// Per gateway process: ids are not shared between gateways.
/// </summary>
internal sealed class InflightRequests(TimeProvider time)
{
    public const string IdHeader = "X-LlamaSwap-Request-Id";

    /// <summary>The least time between two <see cref="InflightChange.Progress"/> events of one request.</summary>
    public static readonly TimeSpan ProgressInterval = TimeSpan.FromMilliseconds(250);

    private readonly ConcurrentDictionary<long, InflightRequest> _requests = new();
    private long _lastId;

    /// <summary>
    /// Raised on the request's own flow (start, response headers, throttled byte progress, end), so
    /// handlers must be quick and must not throw; build the entry with <see cref="InflightRequest.ToEntry"/>
    /// only when it is needed.
    /// </summary>
    public event Action<InflightRequest, InflightChange>? Changed;

    public int Count => _requests.Count;

    internal TimeProvider Time => time;

    internal bool HasListeners => Changed is not null;

    internal long ProgressIntervalTicks { get; } = (long)(ProgressInterval.TotalSeconds * time.TimestampFrequency);

    public Registration Track(HttpContext context)
    {
        var id = Interlocked.Increment(ref _lastId);
        var request = new InflightRequest(this, id, context, time.GetUtcNow(), time.GetTimestamp());
        _requests[id] = request;
        context.Features.Set(request);
        context.Response.Headers[IdHeader] = id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Raise(request, InflightChange.Started);
        return new Registration(this, request);
    }

    /// <summary>The requests in flight now, oldest first.</summary>
    public IReadOnlyList<InflightEntry> Snapshot()
        => [.. _requests.Values.OrderBy(r => r.Id).Select(r => r.ToEntry())];

    /// <summary>Aborts the request (client connection and upstream call); false when no such request is in flight.</summary>
    public bool Cancel(long id)
    {
        if (!_requests.TryRemove(id, out var request) || request.Context is not { } context)
        {
            return false;
        }

        context.Abort();
        return true;
    }

    internal void Raise(InflightRequest request, InflightChange change) => Changed?.Invoke(request, change);

    internal readonly struct Registration(InflightRequests owner, InflightRequest request) : IDisposable
    {
        public long Id => request.Id;

        public InflightRequest Request => request;

        public void Dispose()
        {
            owner._requests.TryRemove(request.Id, out _);
            request.OnEnded();
            owner.Raise(request, InflightChange.Ended);
        }
    }
}
