using LlamaSwap.Gateway.Anthropic;
using LlamaSwap.Gateway.Forwarding;

namespace LlamaSwap.Gateway.Pipeline.Stages;

/// <summary>
/// <c>/v1/messages</c> for a model marked <c>openaiOnly</c>: translated to a chat completion and back
/// (reference 3.12). A request that cannot be translated is refused before any lease is taken. Ends
/// the pipeline for such requests; every other request goes on.
/// </summary>
internal sealed class AnthropicStage(RequestDelegate next, ModelForwarder forwarder, LeaseAcquirer leases, ILogger<AnthropicForwarder> logger)
{
    private readonly AnthropicForwarder _anthropic = new(logger);

    public Task InvokeAsync(HttpContext context)
    {
        var model = ModelRequest.Of(context);
        if (model.Body is not { } body || !model.Model.OpenAiOnly
            || AnthropicRoute.Match(context.Request.Path.Value) is not (var endpoint and not AnthropicEndpoint.None))
        {
            return next(context);
        }

        var modelId = model.ModelId!;
        return _anthropic.HandleAsync(context, endpoint, model.Name, body, forwarder.InvokerFor(modelId), async useUpstream =>
        {
            await using var lease = await leases.AcquireAsync(context, modelId, loading: null);
            if (lease is not null)
            {
                await forwarder.SendTranslatedAsync(context, modelId, () => useUpstream(lease.Upstream));
            }
        });
    }
}
