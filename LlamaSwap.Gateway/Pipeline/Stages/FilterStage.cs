using LlamaSwap.Gateway.Routing;

namespace LlamaSwap.Gateway.Pipeline.Stages;

/// <summary>The model's <c>filters</c> (reference 3.9) on the buffered body: what the upstream receives is final here.</summary>
internal sealed class FilterStage(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var model = ModelRequest.Of(context);
        if (model.Body is { } buffered
            && await RequestFilters.ApplyAsync(model.Model, model.Name, model.ContentType, buffered) is { } rewritten)
        {
            model.Body = rewritten.Body;
            model.ContentType = rewritten.ContentType;
        }

        model.Inflight?.Dispatched(model.ModelId!, model.Body);
        await next(context);
    }
}
