using LlamaSwap.AuthProxy.Keys;
using LlamaSwap.Core.Http;
using LlamaSwap.ServiceDefaults.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace LlamaSwap.AuthProxy.Hardening;

/// <summary>
/// Runs before the key check and refuses what the check must never have to interpret: ambiguous
/// request targets, duplicate or conflicting credential headers, bodies over the limit, and the
/// methods nothing behind the proxy serves. Answers CORS preflights itself.
/// </summary>
internal sealed partial class RequestHygieneMiddleware(
    RequestDelegate next, IOptions<AuthProxyLimits> limits, ApiKeyHolder keys, ILogger<RequestHygieneMiddleware> logger)
{
    public Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        var rawTarget = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? request.Path.Value ?? "";
        if (RequestTargetCheck.Problem(rawTarget) is { } targetProblem)
        {
            return RefuseAsync(context, StatusCodes.Status400BadRequest, targetProblem);
        }

        // TRACE would echo the credentials back (cross-site tracing); CONNECT is not a proxy verb here.
        if (HttpMethods.IsTrace(request.Method) || HttpMethods.IsConnect(request.Method))
        {
            context.Response.Headers.Allow = "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS";
            return RefuseAsync(context, StatusCodes.Status405MethodNotAllowed, $"method {request.Method} is not allowed");
        }

        if (request.ContentLength > limits.Value.MaxRequestBodySize)
        {
            return RefuseAsync(
                context, StatusCodes.Status413PayloadTooLarge, $"request body larger than {limits.Value.MaxRequestBodySize} bytes");
        }

        // With auth off nothing reads the credentials, so a client's odd Authorization header is its own business.
        if (!keys.Current.IsOpen && ApiKeyExtractor.FindProblem(request.Headers) is { } credentialProblem)
        {
            if (credentialProblem.StatusCode == StatusCodes.Status401Unauthorized)
            {
                context.Response.Headers.WWWAuthenticate = "Basic realm=\"llama-swap\"";
            }

            return RefuseAsync(context, credentialProblem.StatusCode, credentialProblem.Message);
        }

        if (HttpMethods.IsOptions(request.Method))
        {
            CorsPreflight.Answer(context);
            return Task.CompletedTask;
        }

        return next(context);
    }

    private Task RefuseAsync(HttpContext context, int statusCode, string reason)
    {
        // Never the headers or the query string: either may carry a key.
        Log.Refused(logger, context.Request.Method, context.Request.Path.Value ?? "", statusCode, reason);

        // The body of a refused request is not read: do not keep the connection for its remainder.
        context.Response.Headers.Connection = "close";
        return AnthropicErrorResponses.WriteForRouteAsync(context, statusCode, reason);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1800, Level = LogLevel.Information, Message = "Refused {Method} {Path} with {StatusCode}: {Reason}")]
        public static partial void Refused(ILogger logger, string method, string path, int statusCode, string reason);
    }
}
