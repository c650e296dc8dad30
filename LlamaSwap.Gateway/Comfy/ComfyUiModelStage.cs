using LlamaSwap.Core.Configuration;
using LlamaSwap.Core.Http;
using LlamaSwap.Gateway.Pipeline;

namespace LlamaSwap.Gateway.Comfy;

/// <summary>
/// The model <c>/comfyui</c> serves is always the local <c>comfyui_auto</c>, by ID (no alias, pin,
/// selector or peer): 404 <c>local model comfyui_auto not found</c> without one, as llama-swap answers.
/// </summary>
internal sealed class ComfyUiModelStage(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        var model = ModelRequest.Of(context);
        if (!model.Config.Models.ContainsKey(ModelConfig.ComfyUiModelId))
        {
            return ErrorResponses.WriteAsync(context, StatusCodes.Status404NotFound, $"local model {ModelConfig.ComfyUiModelId} not found");
        }

        model.Requested = ModelConfig.ComfyUiModelId;
        model.Name = ModelConfig.ComfyUiModelId;
        model.ModelId = ModelConfig.ComfyUiModelId;
        if (model.Inflight is { } inflight)
        {
            inflight.Model = ModelConfig.ComfyUiModelId;
        }

        return next(context);
    }
}
