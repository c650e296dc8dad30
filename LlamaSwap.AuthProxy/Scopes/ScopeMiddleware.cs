using LlamaSwap.AuthProxy.Keys;
using LlamaSwap.Core.Configuration;
using LlamaSwap.Core.Http;
using LlamaSwap.Core.Http.ModelExtraction;

namespace LlamaSwap.AuthProxy.Scopes;

/// <summary>
/// After the key check: refuses (403) requests outside the key's scopes or for a model its globs do
/// not admit, before anything reaches the gateway. Full-access keys pass without any body read.
/// </summary>
internal sealed partial class ScopeMiddleware(RequestDelegate next, ApiKeyHolder holder, ILogger<ScopeMiddleware> logger)
{
    /// <summary>The most a restricted key's request body may be: it is held in memory to find the model.</summary>
    public const long MaxBufferedBodyBytes = 64L * 1024 * 1024;

    public async Task InvokeAsync(HttpContext context)
    {
        // Limits alone (a full-scope, every-model key with a rate limit) are not this check's business.
        if (context.Features.Get<AuthenticatedKey>()?.Key is not { } key || (key.Scopes == ApiKeyScopes.All && key.AllowsEveryModel))
        {
            await next(context);
            return;
        }

        var request = context.Request;
        if (RequestPath.Normalize(request.Path.Value) is not { } path)
        {
            Log.AmbiguousPath(logger, key.Name, request.Path.Value ?? "");
            await ErrorResponses.WriteAsync(context, StatusCodes.Status400BadRequest, "ambiguous request path");
            return;
        }

        var route = RouteClassifier.Classify(request.Method, path);
        if ((key.Scopes & route.Scope) == 0)
        {
            Log.ScopeRefused(logger, key.Name, request.Method, path, route.Scope);
            await ErrorResponses.WriteAsync(
                context, StatusCodes.Status403Forbidden, $"this key lacks the {route.Scope.ToString().ToLowerInvariant()} scope for {request.Method} {path}");
            return;
        }

        if (key.AllowsEveryModel)
        {
            await next(context);
            return;
        }

        switch (route.Kind)
        {
            case RouteKind.ModelInRequest:
                await CheckRequestModelAsync(context, key);
                break;
            case RouteKind.Upstream:
                await CheckUpstreamModelAsync(context, key);
                break;
            case RouteKind.ModelList:
                await ModelListFilter.ForwardFilteredAsync(context, key, holder.Current.Config, next);
                break;
            default:
                await next(context);
                break;
        }
    }

    private async Task CheckRequestModelAsync(HttpContext context, ApiKeyConfig key)
    {
        var request = context.Request;
        var body = ReadOnlyMemory<byte>.Empty;
        if (HttpMethods.IsPost(request.Method))
        {
            if (await RequestBodyBuffer.ReadAsync(request, MaxBufferedBodyBytes, context.RequestAborted) is not { } buffered)
            {
                await ErrorResponses.WriteAsync(context, StatusCodes.Status413PayloadTooLarge, "request body too large");
                return;
            }

            // The gateway reads the very bytes the model was judged on.
            body = buffered;
            RequestBodyBuffer.Replace(request, buffered);
        }

        var requested = await ModelExtractor.ExtractAsync(request.Method, request.ContentType, request.Query, body);
        if (requested is null)
        {
            // As the gateway would answer; nothing to judge the key by.
            await ErrorResponses.WriteAsync(context, StatusCodes.Status404NotFound, "no model id could be identified");
            return;
        }

        await AdmitAsync(context, key, requested, ModelNames.RealId(holder.Current.Config, requested));
    }

    private Task CheckUpstreamModelAsync(HttpContext context, ApiKeyConfig key)
    {
        // The same resolution as the gateway: the longest run of segments that is a model ID, alias or
        // peer model; the key's globs then judge the real ID behind it.
        var target = UpstreamModelPath.Resolve(holder.Current.Config, context.Request.Path.Value ?? "/", null);
        return target is null
            ? ErrorResponses.WriteAsync(context, StatusCodes.Status404NotFound, "model not found")
            : AdmitAsync(context, key, target.RequestedName, target.ModelId);
    }

    private async Task AdmitAsync(HttpContext context, ApiKeyConfig key, string requested, string? resolvedId)
    {
        if (key.AllowsModel(requested, resolvedId))
        {
            await next(context);
            return;
        }

        Log.ModelRefused(logger, key.Name, requested);
        await ErrorResponses.WriteAsync(context, StatusCodes.Status403Forbidden, $"model \"{requested}\" is not allowed for this key");
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1610, Level = LogLevel.Information, Message = "Key {KeyName} lacks the {Scope} scope for {Method} {Path}")]
        public static partial void ScopeRefused(ILogger logger, string keyName, string method, string path, ApiKeyScopes scope);

        [LoggerMessage(EventId = 1611, Level = LogLevel.Information, Message = "Key {KeyName} may not use model {Model}")]
        public static partial void ModelRefused(ILogger logger, string keyName, string model);

        [LoggerMessage(EventId = 1612, Level = LogLevel.Information, Message = "Refused the ambiguous path {Path} for key {KeyName}")]
        public static partial void AmbiguousPath(ILogger logger, string keyName, string path);
    }
}
