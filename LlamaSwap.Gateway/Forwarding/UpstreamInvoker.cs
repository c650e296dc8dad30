using LlamaSwap.Core.Configuration;
using LlamaSwap.Gateway.Transport;

namespace LlamaSwap.Gateway.Forwarding;

/// <summary>
/// Connection pools for local upstreams (YARP direct forwarding): one per distinct <c>timeouts</c>
/// set, so models with the default settings share one pool and a slow model's settings stay its own.
/// </summary>
internal sealed class UpstreamInvoker : IDisposable
{
    // Upstreams are local servers: an environment proxy would send them elsewhere.
    private readonly InvokerPool<(UpstreamTimeouts Timeouts, bool Https)> _pool
        = new(key => TimeoutInvokerFactory.Create(key.Timeouts, useProxy: false, key.Https));

    // Never reuses a connection: for sending a request again after a pooled connection turned out stale.
    private readonly InvokerPool<(UpstreamTimeouts Timeouts, bool Https)> _fresh
        = new(key => TimeoutInvokerFactory.Create(key.Timeouts, useProxy: false, key.Https, reuseConnections: false));

    /// <summary>The pool for models with default timeouts.</summary>
    public HttpMessageInvoker Invoker => For(null);

    /// <summary>How many distinct pools exist.</summary>
    public int PoolCount => _pool.Count;

    /// <summary>The pool for the model's <c>timeouts</c>; the default pool for a model no longer configured (null).</summary>
    public HttpMessageInvoker For(ModelConfig? model) => _pool.For(KeyOf(model));

    /// <summary>Like <see cref="For"/>, but every request gets a new connection, closed after its response.</summary>
    public HttpMessageInvoker FreshConnectionFor(ModelConfig? model) => _fresh.For(KeyOf(model));

    private static (UpstreamTimeouts Timeouts, bool Https) KeyOf(ModelConfig? model)
        => model is null ? (new UpstreamTimeouts(), false) : (model.Timeouts, model.Proxy.Scheme == Uri.UriSchemeHttps);

    public void Dispose()
    {
        _pool.Dispose();
        _fresh.Dispose();
    }
}
