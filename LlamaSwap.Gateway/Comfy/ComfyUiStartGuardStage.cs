using LlamaSwap.Core.Configuration;
using LlamaSwap.Core.Contracts;
using LlamaSwap.Core.Http;
using LlamaSwap.Gateway.Models;
using LlamaSwap.Gateway.Pipeline;

namespace LlamaSwap.Gateway.Comfy;

/// <summary>
/// Only <c>/comfyui/</c> itself may start <c>comfyui_auto</c>: any other path while it is not ready
/// is refused with 409. After the model unloads, an open ComfyUI tab keeps fetching assets, polling
/// its API and reconnecting its websocket; without this the background traffic would load the model
/// again and again. A ready model serves every path.
/// </summary>
internal sealed class ComfyUiStartGuardStage(RequestDelegate next, ModelStateReader states)
{
    private const string RootRemainder = "/";

    public async Task InvokeAsync(HttpContext context)
    {
        var model = ModelRequest.Of(context);
        if (model.UpstreamRemainder != RootRemainder && !await IsReadyAsync(context.RequestAborted))
        {
            await ErrorResponses.WriteAsync(
                context, StatusCodes.Status409Conflict, $"model {ModelConfig.ComfyUiModelId} is not loaded; only {ComfyUiPathStage.Prefix}/ can start it");
            return;
        }

        await next(context);
    }

    private async Task<bool> IsReadyAsync(CancellationToken cancellationToken)
    {
        // No answer from the store or the supervisor counts as not ready: a refusal never starts the model.
        var all = await states.GetAllAsync(cancellationToken);
        return all is not null && all.TryGetValue(ModelConfig.ComfyUiModelId, out var record) && record.State == ModelStates.Ready;
    }
}
