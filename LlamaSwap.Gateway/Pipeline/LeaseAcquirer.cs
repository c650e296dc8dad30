using LlamaSwap.Core.Http;
using LlamaSwap.Gateway.Inflight;
using LlamaSwap.Gateway.Loading;
using LlamaSwap.Gateway.Supervision;

namespace LlamaSwap.Gateway.Pipeline;

/// <summary>
/// Asks the supervisor for a lease on a model (queueing and any load included) and answers the
/// client itself when none is granted: 429 with <c>Retry-After</c>, 502, 503 while the supervisor is
/// away, or an error inside a loading stream that has already started.
/// </summary>
internal sealed partial class LeaseAcquirer(SupervisorClient supervisor, TimeProvider time, ILogger<LeaseAcquirer> logger)
{
    /// <summary>The lease, or null when the request was answered (refused, failed) or the client left.</summary>
    public async Task<UpstreamLease?> AcquireAsync(HttpContext context, string modelId, LoadingStream? loading)
    {
        var requestId = Guid.NewGuid().ToString("N");
        var acquiring = supervisor.AcquireAsync(modelId, requestId, context.RequestAborted);
        if (loading is not null && !acquiring.IsCompleted
            && await Task.WhenAny(acquiring, Task.Delay(LoadingStream.StartAfter, time)) != acquiring)
        {
            // Admission (and so any 429) is answered at once: taking this long means the model loads.
            await loading.ShowProgressUntilAsync(acquiring, requestId, modelId);
        }

        var outcome = await acquiring;
        if (outcome is AcquireOutcome.Granted granted)
        {
            context.Features.Get<InflightRequest>()?.OnLeaseGranted(granted.Lease.QueueWaitMs, granted.Lease.LoadMs);
            var lease = new UpstreamLease(supervisor, granted.Lease.LeaseId, granted.Lease.Upstream);
            if (loading is { Started: true })
            {
                try
                {
                    await loading.FinishAsync();
                }
                catch
                {
                    await lease.DisposeAsync();
                    throw;
                }
            }

            return lease;
        }

        await RefuseAsync(context, modelId, outcome, loading);
        return null;
    }

    private async Task RefuseAsync(HttpContext context, string modelId, AcquireOutcome outcome, LoadingStream? loading)
    {
        if (outcome is AcquireOutcome.ClientGone)
        {
            // Nobody to answer.
            return;
        }

        var (status, message, code) = outcome switch
        {
            AcquireOutcome.Refused r => (r.StatusCode, r.Message, r.Code),
            AcquireOutcome.Unavailable u => (StatusCodes.Status503ServiceUnavailable, u.Message, null),
            _ => (StatusCodes.Status502BadGateway, ((AcquireOutcome.Failed)outcome).Message, (string?)null),
        };
        if (outcome is AcquireOutcome.Refused or AcquireOutcome.Unavailable)
        {
            Log.AcquireRefused(logger, modelId, status, message);
        }

        if (loading is { Started: true })
        {
            await loading.WriteErrorAsync(status, message, code);
            return;
        }

        if (outcome is AcquireOutcome.Refused { StatusCode: StatusCodes.Status429TooManyRequests } tooMany)
        {
            context.Response.Headers.RetryAfter = string.IsNullOrEmpty(tooMany.RetryAfter) ? "1" : tooMany.RetryAfter;
        }
        else if (outcome is AcquireOutcome.Unavailable)
        {
            // A supervisor restart: the client may try again shortly (SDKs honour Retry-After on 503).
            context.Response.Headers.RetryAfter = SupervisorClient.RetryAfterSeconds;
        }

        await ErrorResponses.WriteAsync(context, status, message, code);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 200, Level = LogLevel.Information, Message = "Supervisor refused {Model}: {StatusCode} {Message}")]
        public static partial void AcquireRefused(ILogger logger, string model, int statusCode, string message);
    }
}
