using LlamaSwap.Gateway.Pipeline;
using Microsoft.AspNetCore.Http.Features;

namespace LlamaSwap.Gateway.Comfy;

/// <summary>
/// <c>/comfyui/...</c>: takes the <c>/comfyui</c> prefix off the path (the raw path, so encodings
/// such as <c>%2F</c> reach ComfyUI as sent) for the <c>/upstream</c> stages that follow; a bare
/// <c>/comfyui</c> leaves an empty remainder, which the trailing-slash stage redirects.
/// </summary>
internal sealed class ComfyUiPathStage(RequestDelegate next)
{
    /// <summary>The route prefix, as the redirect writes it.</summary>
    public const string Prefix = "/comfyui";

    public Task InvokeAsync(HttpContext context)
    {
        var model = ModelRequest.Of(context);
        var decoded = context.Request.Path.Value ?? Prefix;
        var raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget?.Split('?', 2)[0];

        // The route matched case-insensitively; a prefix written with escapes leaves only the decoded path to cut.
        var source = raw is not null && raw.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase) ? raw : decoded;
        model.IsComfyUi = true;
        model.UpstreamModelPath = Prefix;
        model.UpstreamRemainder = source.Length > Prefix.Length ? source[Prefix.Length..] : "";
        return next(context);
    }
}
