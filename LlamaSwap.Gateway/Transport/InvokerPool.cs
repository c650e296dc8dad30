namespace LlamaSwap.Gateway.Transport;

/// <summary>
/// Connection pools created on first use, one per key. A reload that changes a key's settings gets
/// a new pool; old ones are kept until shutdown because requests in flight may still be using them.
/// </summary>
internal sealed class InvokerPool<TKey>(Func<TKey, HttpMessageInvoker> create) : IDisposable
    where TKey : notnull
{
    private readonly Lock _lock = new();

    private readonly Dictionary<TKey, HttpMessageInvoker> _invokers = [];

    public HttpMessageInvoker For(TKey key)
    {
        lock (_lock)
        {
            if (!_invokers.TryGetValue(key, out var invoker))
            {
                invoker = create(key);
                _invokers[key] = invoker;
            }

            return invoker;
        }
    }

    /// <summary>How many distinct pools exist (for tests).</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _invokers.Count;
            }
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            foreach (var invoker in _invokers.Values)
            {
                invoker.Dispose();
            }

            _invokers.Clear();
        }
    }
}
