using LlamaSwap.Gateway.Comfy;
using LlamaSwap.Gateway.Pipeline.Stages;
using LlamaSwap.Gateway.Routing;

namespace LlamaSwap.Gateway.Pipeline;

/// <summary>
/// The two model pipelines, stage by stage (docs/design.md, "The model pipeline"). Each stage is a
/// middleware over the request's <see cref="ModelRequest"/> feature that either answers the request
/// itself (an error, a peer, a translated Anthropic call) or hands it on.
/// </summary>
internal static class ModelPipeline
{
    public static IEndpointRouteBuilder MapModelPipelines(this IEndpointRouteBuilder endpoints)
    {
        var forward = endpoints.ServiceProvider.GetRequiredService<ForwardStage>();

        // The model-dispatched routes: the body names the model (reference 2.1).
        var inference = Build(endpoints, forward, pipeline => pipeline
            .UseMiddleware<LoopGuardStage>()
            .UseMiddleware<TrackingStage>(TrackingStage.Mode.Inference)
            .UseMiddleware<ExtractionStage>()
            .UseMiddleware<VirtualNameStage>()
            .UseMiddleware<ModelPolicyStage>()
            .UseMiddleware<ClientAuthStage>()
            .UseMiddleware<PeerStage>()
            .UseMiddleware<FilterStage>()
            .UseMiddleware<AnthropicStage>()
            .UseMiddleware<LeaseStage>());
        foreach (var route in GatewayRoutes.Inference)
        {
            endpoints.MapRoute(route, inference);
        }

        // /upstream/<model>/...: the path names the model; the body passes untouched (reference 2.5).
        var upstream = Build(endpoints, forward, pipeline => pipeline
            .UseMiddleware<LoopGuardStage>()
            .UseMiddleware<TrackingStage>(TrackingStage.Mode.Upstream)
            .UseMiddleware<UpstreamPathStage>()
            .UseMiddleware<ModelPolicyStage>()
            .UseMiddleware<ClientAuthStage>()
            .UseMiddleware<TrailingSlashStage>()
            .UseMiddleware<PeerStage>()
            .UseMiddleware<IgnoredPathStage>()
            .UseMiddleware<LeaseStage>());
        endpoints.MapRoute(GatewayRoutes.Upstream, upstream);
        endpoints.MapRoute(GatewayRoutes.UpstreamIndex, () => Results.Redirect("/ui/models"));

        // /comfyui/...: /upstream for the fixed model comfyui_auto, where only the root may start it (reference 2.6).
        var comfyUi = Build(endpoints, forward, pipeline => pipeline
            .UseMiddleware<LoopGuardStage>()
            .UseMiddleware<TrackingStage>(TrackingStage.Mode.Upstream)
            .UseMiddleware<ComfyUiPathStage>()
            .UseMiddleware<TrailingSlashStage>()
            .UseMiddleware<ComfyUiModelStage>()
            .UseMiddleware<ModelPolicyStage>()
            .UseMiddleware<ClientAuthStage>()
            .UseMiddleware<ComfyUiStartGuardStage>()
            .UseMiddleware<IgnoredPathStage>()
            .UseMiddleware<LeaseStage>());
        endpoints.MapRoute(GatewayRoutes.ComfyUi, comfyUi);
        return endpoints;
    }

    /// <summary>The stages <paramref name="configure"/> adds, ending in <see cref="ForwardStage"/>.</summary>
    private static RequestDelegate Build(IEndpointRouteBuilder endpoints, ForwardStage forward, Action<IApplicationBuilder> configure)
    {
        var pipeline = endpoints.CreateApplicationBuilder();
        configure(pipeline);
        pipeline.Run(forward.InvokeAsync);
        return pipeline.Build();
    }
}
