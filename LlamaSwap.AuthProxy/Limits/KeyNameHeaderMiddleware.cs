using LlamaSwap.AuthProxy.Keys;
using LlamaSwap.Core.Configuration;

namespace LlamaSwap.AuthProxy.Limits;

/// <summary>
/// Tells the gateway which key a request used (<see cref="ApiKeyConfig.KeyNameHeader"/>), for usage
/// attribution and tokens per minute. The gateway trusts this header, so a client's own copy is
/// always removed first: a client must never spend or read another key's budget.
/// </summary>
internal sealed class KeyNameHeaderMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        var headers = context.Request.Headers;
        headers.Remove(ApiKeyConfig.KeyNameHeader);
        if (context.Features.Get<AuthenticatedKey>()?.Key is { } key)
        {
            headers[ApiKeyConfig.KeyNameHeader] = key.Name;
        }

        return next(context);
    }
}
