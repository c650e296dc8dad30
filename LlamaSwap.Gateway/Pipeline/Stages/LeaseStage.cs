using LlamaSwap.Gateway.Loading;
using LlamaSwap.Gateway.Supervision;

namespace LlamaSwap.Gateway.Pipeline.Stages;

/// <summary>
/// Holds a lease on the model for the rest of the pipeline (<c>await using</c>): acquired here,
/// released when the response has been forwarded. A streaming chat of a <c>sendLoadingState</c>
/// model shows the load in its stream meanwhile (reference 5.3).
/// </summary>
internal sealed class LeaseStage(RequestDelegate next, LeaseAcquirer leases, SupervisorClient supervisor, TimeProvider time)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var model = ModelRequest.Of(context);
        if (!model.IsUpstreamPath)
        {
            model.Loading = LoadingStream.For(context, model.Config, model.Model, model.Name, model.Body, supervisor, time);
        }

        await using var lease = await leases.AcquireAsync(context, model.ModelId!, model.Loading);
        if (lease is null)
        {
            return;
        }

        model.Lease = lease;
        await next(context);
    }
}
