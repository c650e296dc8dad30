using LlamaSwap.Core.Http;
using LlamaSwap.Gateway.Configuration;
using LlamaSwap.Gateway.Pipeline.Extraction;
using Microsoft.Extensions.Options;

namespace LlamaSwap.Gateway.Pipeline.Stages;

/// <summary>
/// Reads a model route's body once (bounded by <see cref="GatewayOptions.MaxRequestBodyBytes"/>) and
/// finds the model it names (reference 2.1.1). This is the only place a body is parsed for its model,
/// and where the body's content type is settled for every later stage: a JSON object the client sent
/// as a form or text is JSON from here on, and reaches the upstream as <c>application/json</c>.
/// </summary>
internal sealed class ExtractionStage(RequestDelegate next, IOptions<GatewayOptions> options)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var model = ModelRequest.Of(context);
        var request = context.Request;
        if (HttpMethods.IsPost(request.Method))
        {
            try
            {
                model.Body = await RequestBodyBuffer.ReadAsync(request, options.Value.MaxRequestBodyBytes, context.RequestAborted);
            }
            catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
            {
                return;
            }

            if (model.Body is null)
            {
                await ErrorResponses.WriteAsync(context, StatusCodes.Status413PayloadTooLarge, "request body too large");
                return;
            }
        }

        var extracted = await ModelExtractor.ExtractAsync(request.Method, request.ContentType, request.Query, model.Body ?? ReadOnlyMemory<byte>.Empty);
        if (extracted.Problem is { } problem)
        {
            await ErrorResponses.WriteAsync(context, StatusCodes.Status400BadRequest, problem);
            return;
        }

        if (extracted.Name is not { } name)
        {
            await ErrorResponses.WriteAsync(context, StatusCodes.Status404NotFound, "no model id could be identified");
            return;
        }

        model.ContentType = model.Body is null ? null : extracted.ContentType;
        model.Requested = name;
        model.Name = name;
        await next(context);
    }
}
