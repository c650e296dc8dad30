using LlamaSwap.ServiceDefaults.Http;

namespace LlamaSwap.Gateway.Api;

/// <summary>
/// Answers every <c>OPTIONS</c> request itself (reference section 2 intro) with the same answer as
/// the auth proxy (<see cref="CorsPreflight"/>): browsers preflight inference calls, and upstreams
/// are never woken just to answer a preflight.
/// </summary>
internal sealed class CorsPreflightMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        if (!HttpMethods.IsOptions(context.Request.Method))
        {
            return next(context);
        }

        CorsPreflight.Answer(context);
        return Task.CompletedTask;
    }
}
