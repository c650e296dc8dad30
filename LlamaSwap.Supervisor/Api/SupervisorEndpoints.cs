using LlamaSwap.Core.Contracts;
using LlamaSwap.Supervisor.Processes;
using LlamaSwap.Supervisor.Scheduling;

namespace LlamaSwap.Supervisor.Api;

/// <summary>The internal API the gateways use (<see cref="SupervisorApi"/>). Not for clients: bind it to loopback.</summary>
internal static class SupervisorEndpoints
{
    private const string PlainText = "text/plain; charset=utf-8";

    public static IEndpointRouteBuilder MapSupervisorApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost(SupervisorApi.Acquire, AcquireAsync);
        endpoints.MapPost(SupervisorApi.Release + "/{**leaseId}", (string leaseId, ModelScheduler scheduler) =>
        {
            scheduler.Release(leaseId);
            return Results.NoContent();
        });
        endpoints.MapPost(SupervisorApi.Cancel + "/{requestId}", (string requestId, ModelScheduler scheduler) =>
        {
            scheduler.Cancel(requestId);
            return Results.NoContent();
        });
        endpoints.MapPost(SupervisorApi.UnloadAll, async (ModelScheduler scheduler) =>
        {
            await scheduler.UnloadAsync(null);
            return Results.Ok(new { msg = "ok" });
        });
        endpoints.MapPost(SupervisorApi.UnloadModel + "/{**model}", UnloadModelAsync);
        endpoints.MapPost(SupervisorApi.Heartbeat + "/{gateway}", (string gateway, ModelScheduler scheduler) =>
        {
            scheduler.GatewayAlive(gateway);
            return Results.NoContent();
        });
        endpoints.MapGet(SupervisorApi.Queue + "/{requestId}", async (string requestId, ModelScheduler scheduler) =>
            await scheduler.QueuePositionAsync(requestId) is { } position ? Results.Ok(new QueueStatus(position)) : Results.NotFound());
        endpoints.MapGet(SupervisorApi.State, (ModelScheduler scheduler) => Results.Ok(scheduler.Snapshot()));
        endpoints.MapGet(SupervisorApi.UpstreamLogs, (UpstreamOutput output) => Results.Bytes(output.GetCombinedHistory(), PlainText));
        endpoints.MapGet(SupervisorApi.ModelLogs + "/{**model}", (string model, UpstreamOutput output) => Results.Text(output.GetHistory(model), PlainText));
        endpoints.MapGet(SupervisorApi.LoggedModels, (UpstreamOutput output) => Results.Ok(output.ModelIds));
        return endpoints;
    }

    private static async Task AcquireAsync(HttpContext context, AcquireRequest request, ModelScheduler scheduler)
    {
        // The gateway resolved aliases already (AcquireRequest carries the real id): resolving here
        // again would be a second source of truth, and could disagree during a reload.
        var outcome = await scheduler.AcquireAsync(request.Model, request.RequestId, context.RequestAborted, request.Gateway);
        if (outcome.Cancelled)
        {
            // The caller is gone; nothing can be written.
            return;
        }

        if (outcome.Lease is { } lease)
        {
            try
            {
                await context.Response.WriteAsJsonAsync(lease, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                // The gateway left after the grant: give the slot back rather than leak it.
                scheduler.Cancel(request.RequestId);
            }

            return;
        }

        context.Response.StatusCode = outcome.Status;
        if (outcome.Status == StatusCodes.Status429TooManyRequests)
        {
            context.Response.Headers.RetryAfter = "1";
        }

        await context.Response.WriteAsJsonAsync(outcome.Error, context.RequestAborted);
    }

    /// <summary>Unloads the model with exactly this id (the gateway resolves aliases); 404 naming it when there is none.</summary>
    private static async Task<IResult> UnloadModelAsync(string model, ModelScheduler scheduler)
    {
        try
        {
            await scheduler.UnloadAsync(model);
        }
        catch (UnknownModelException ex)
        {
            return Results.NotFound(new SupervisorError(ex.Message));
        }

        return Results.Ok(new { msg = "ok" });
    }
}
