using LlamaSwap.AuthProxy.Keys;
using Microsoft.AspNetCore.Connections.Features;

namespace LlamaSwap.AuthProxy.Hardening;

/// <summary>
/// Runs first for every request: the first request of a connection takes it out of the pending count
/// (its headers are in), and if that request turns out to carry no valid key the connection is closed
/// after the answer. So a keyless client cannot park connections between requests (a quick 401, then a
/// dribbled or silent second request) outside the pending count; keyed connections keep alive as usual.
/// </summary>
internal sealed class FirstRequestMiddleware
{
    private readonly RequestDelegate _next;
    private readonly ClientConnectionLimiter _limiter;
    private readonly ApiKeyHolder _keys;
    private readonly Func<object, Task> _closeUnlessAuthenticated;

    public FirstRequestMiddleware(RequestDelegate next, ClientConnectionLimiter limiter, ApiKeyHolder keys)
    {
        _next = next;
        _limiter = limiter;
        _keys = keys;
        _closeUnlessAuthenticated = CloseUnlessAuthenticated;
    }

    public Task InvokeAsync(HttpContext context)
    {
        if (context.Features.Get<ClientConnection>() is { } connection && _limiter.RequestStarted(connection))
        {
            // Decided when the answer starts: by then the key check has passed or refused it.
            context.Response.OnStarting(_closeUnlessAuthenticated, context);
        }

        return _next(context);
    }

    private Task CloseUnlessAuthenticated(object state)
    {
        var context = (HttpContext)state;
        if (_keys.Current.IsOpen || context.Features.Get<AuthenticatedKey>() is not null)
        {
            return Task.CompletedTask;
        }

        // HTTP/2 and HTTP/3 have no Connection header: ask Kestrel to end the connection after this stream.
        if (HttpProtocol.IsHttp11(context.Request.Protocol) || HttpProtocol.IsHttp10(context.Request.Protocol))
        {
            context.Response.Headers.Connection = "close";
        }
        else
        {
            context.Features.Get<IConnectionLifetimeNotificationFeature>()?.RequestClose();
        }

        return Task.CompletedTask;
    }
}
