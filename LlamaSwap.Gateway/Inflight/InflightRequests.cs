using System.Collections.Concurrent;

namespace LlamaSwap.Gateway.Inflight;

/// <summary>
/// The model requests this gateway is serving, by decimal id (reference 2.3, 2.4), so one can be
/// cancelled: <c>POST /api/inflight/{id}/cancel</c>. Each response carries its id in
/// <see cref="IdHeader"/>. Per gateway process: ids are not shared between gateways.
/// </summary>
internal sealed class InflightRequests
{
    public const string IdHeader = "X-LlamaSwap-Request-Id";

    private readonly ConcurrentDictionary<long, HttpContext> _requests = new();
    private long _lastId;

    public int Count => _requests.Count;

    public Registration Track(HttpContext context)
    {
        var id = Interlocked.Increment(ref _lastId);
        _requests[id] = context;
        context.Response.Headers[IdHeader] = id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return new Registration(this, id);
    }

    /// <summary>Aborts the request (client connection and upstream call); false when no such request is in flight.</summary>
    public bool Cancel(long id)
    {
        if (!_requests.TryRemove(id, out var context))
        {
            return false;
        }

        context.Abort();
        return true;
    }

    internal readonly struct Registration(InflightRequests owner, long id) : IDisposable
    {
        public long Id => id;

        public void Dispose() => owner._requests.TryRemove(id, out _);
    }
}
