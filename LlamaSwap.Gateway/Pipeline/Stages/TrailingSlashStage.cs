namespace LlamaSwap.Gateway.Pipeline.Stages;

/// <summary>
/// A bare <c>/upstream/&lt;model&gt;</c> is redirected to <c>/upstream/&lt;model&gt;/</c> (and a bare
/// <c>/comfyui</c> to <c>/comfyui/</c>): relative links in the upstream's pages only resolve under a
/// trailing slash. On <c>/upstream</c> after the key's policy, so the redirect tells a restricted key
/// nothing about a model it may not use; <c>/comfyui</c>'s names no model and comes first, as in llama-swap.
/// </summary>
internal sealed class TrailingSlashStage(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        var model = ModelRequest.Of(context);
        if (model.UpstreamRemainder.Length > 0)
        {
            return next(context);
        }

        var request = context.Request;
        var permanentGet = HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method);
        context.Response.StatusCode = permanentGet ? StatusCodes.Status301MovedPermanently : StatusCodes.Status308PermanentRedirect;
        context.Response.Headers.Location = model.UpstreamModelPath + "/" + request.QueryString.ToUriComponent();
        return Task.CompletedTask;
    }
}
