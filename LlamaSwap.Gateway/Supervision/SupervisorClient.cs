using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.Json;
using LlamaSwap.Core.Contracts;
using LlamaSwap.Core.Hosting;
using LlamaSwap.Gateway.Configuration;
using LlamaSwap.Gateway.Telemetry;

namespace LlamaSwap.Gateway.Supervision;

/// <summary>
/// The gateway's only way to the supervisor: its internal HTTP API (<see cref="SupervisorApi"/>).
/// Release and cancel are fire-and-forget so clients never wait on bookkeeping; the calls still
/// in flight are awaited (briefly) when the gateway shuts down.
/// </summary>
internal sealed partial class SupervisorClient : IAsyncDisposable
{
    private static readonly JsonSerializerOptions Json = JsonSerializerOptions.Web;

    private const string QueueWaitSpan = "queue wait";
    private const string ModelAttribute = "gen_ai.request.model";

    // Release/cancel are tiny: a supervisor that cannot answer in this long is not coming back soon.
    private static readonly TimeSpan BackgroundCallTimeout = TimeSpan.FromSeconds(10);

    // How long a request's end may wait for its release before handing it to the background.
    private static readonly TimeSpan ReleaseWait = TimeSpan.FromSeconds(2);

    /// <summary><c>Retry-After</c> of a 503 for an unreachable supervisor: about when a restarted one is back.</summary>
    public const string RetryAfterSeconds = "2";

    // Pace of acquire attempts while the supervisor cannot be reached.
    private static readonly TimeSpan UnreachableRetryInterval = TimeSpan.FromMilliseconds(200);

    private readonly HttpClient _http;
    private readonly ILogger<SupervisorClient> _logger;
    private readonly TimeProvider _time;
    private readonly TimeSpan _unreachableWait;
    private readonly ConcurrentDictionary<Task, byte> _background = new();

    public SupervisorClient(Uri baseAddress, ILogger<SupervisorClient> logger, TimeSpan? unreachableWait = null, TimeProvider? time = null)
    {
        _logger = logger;
        _time = time ?? TimeProvider.System;
        _unreachableWait = unreachableWait ?? TimeSpan.FromSeconds(new GatewayOptions().SupervisorWaitSeconds);
        _http = new HttpClient(new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            ConnectTimeout = TimeSpan.FromSeconds(10),
        })
        {
            BaseAddress = baseAddress,

            // Acquire waits for a model load and unload for a graceful stop: callers bound them with
            // the client's own cancellation, never with a blanket timeout.
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }

    /// <summary>This gateway process, as the supervisor knows it: leases carry it, heartbeats keep them valid.</summary>
    public string InstanceId { get; } = $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid():N}";

    /// <summary>Long-polls for a ready upstream; <paramref name="clientAborted"/> is the client's RequestAborted.</summary>
    public async Task<AcquireOutcome> AcquireAsync(string modelId, string requestId, CancellationToken clientAborted)
    {
        // The whole wait for an upstream: queueing and any model load. Null unless traces are exported.
        using var span = GatewayTelemetry.Source.StartActivity(QueueWaitSpan);
        span?.SetTag(ModelAttribute, modelId);
        var outcome = await AcquireCoreAsync(modelId, requestId, clientAborted);
        if (span is not null)
        {
            Describe(span, outcome);
        }

        return outcome;
    }

    /// <summary>
    /// Tries again while the supervisor cannot be reached (refused, reset, no answer): it may be
    /// restarting, and nothing of this request reached a live supervisor, so asking the next one is
    /// safe. Bounded by the configured wait, counted from the first failure; then 503.
    /// </summary>
    private async Task<AcquireOutcome> AcquireCoreAsync(string modelId, string requestId, CancellationToken clientAborted)
    {
        long? firstFailure = null;
        while (true)
        {
            try
            {
                return await AcquireOnceAsync(modelId, requestId, clientAborted);
            }
            catch (HttpRequestException ex)
            {
                if (firstFailure is null)
                {
                    firstFailure = _time.GetTimestamp();
                    Log.SupervisorUnreachable(_logger, modelId, ex.Message);
                }

                if (_time.GetElapsedTime(firstFailure.Value) >= _unreachableWait)
                {
                    Log.SupervisorUnavailable(_logger, modelId, requestId, _unreachableWait.TotalSeconds, ex);
                    CancelInBackground(requestId);
                    return new AcquireOutcome.Unavailable($"supervisor unavailable: {ex.Message}");
                }
            }

            try
            {
                await Task.Delay(UnreachableRetryInterval, _time, clientAborted);
            }
            catch (OperationCanceledException)
            {
                return new AcquireOutcome.ClientGone();
            }
        }
    }

    /// <summary>One long poll; throws <see cref="HttpRequestException"/> when no answer came.</summary>
    private async Task<AcquireOutcome> AcquireOnceAsync(string modelId, string requestId, CancellationToken clientAborted)
    {
        try
        {
            using var response = await _http.PostAsJsonAsync(SupervisorApi.Acquire, new AcquireRequest(modelId, requestId, InstanceId), Json, clientAborted);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                var lease = await response.Content.ReadFromJsonAsync<AcquireResponse>(Json, clientAborted);
                if (lease is null || string.IsNullOrEmpty(lease.Upstream) || string.IsNullOrEmpty(lease.LeaseId))
                {
                    CancelInBackground(requestId);
                    return new AcquireOutcome.Failed("supervisor returned an empty lease");
                }

                return new AcquireOutcome.Granted(lease);
            }

            var (message, code) = await ReadErrorAsync(response, clientAborted);
            var retryAfter = response.Headers.TryGetValues("Retry-After", out var values) ? values.FirstOrDefault() : null;
            return new AcquireOutcome.Refused((int)response.StatusCode, message, code, retryAfter);
        }
        catch (OperationCanceledException) when (clientAborted.IsCancellationRequested)
        {
            // Aborting the long poll is not enough: the supervisor may have granted a lease that is
            // still on the wire. Cancel by request id so it is dropped or released.
            Log.AcquireAbandoned(_logger, modelId, requestId);
            CancelInBackground(requestId);
            return new AcquireOutcome.ClientGone();
        }
        catch (Exception ex) when (ex is IOException && ex is not HttpRequestException)
        {
            // The answer broke off while being read: no answer, as far as retrying goes.
            throw new HttpRequestException(HttpRequestError.ResponseEnded, ex.Message, ex);
        }
        catch (JsonException ex)
        {
            Log.AcquireFailed(_logger, modelId, requestId, ex);
            CancelInBackground(requestId);
            return new AcquireOutcome.Failed($"supervisor unreachable: {ex.Message}");
        }
    }

    /// <summary>Posts the release without making the caller wait for it.</summary>
    /// <summary>
    /// Releases a lease before the request ends, so a client that sends its next request the moment
    /// this response completes finds its slot free (a release still under way would count against the
    /// concurrency limit). Bounded: if the supervisor is slow, the release continues in the background.
    /// </summary>
    public async Task ReleaseAsync(string leaseId)
    {
        try
        {
            using var timeout = new CancellationTokenSource(ReleaseWait);
            using var response = await _http.PostAsync($"{SupervisorApi.Release}/{Uri.EscapeDataString(leaseId)}", content: null, timeout.Token);
            if (response.IsSuccessStatusCode)
            {
                return;
            }

            Log.ReleaseFailed(_logger, leaseId, new HttpRequestException($"supervisor answered {(int)response.StatusCode}", null, response.StatusCode));
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
        {
            Log.ReleaseFailed(_logger, leaseId, ex);
        }

        ReleaseInBackground(leaseId);
    }

    public void ReleaseInBackground(string leaseId)
        => RunInBackground(
            $"{SupervisorApi.Release}/{Uri.EscapeDataString(leaseId)}",
            ex => Log.ReleaseFailed(_logger, leaseId, ex));

    /// <summary>Posts a best-effort cancel for a request whose client went away.</summary>
    public void CancelInBackground(string requestId)
        => RunInBackground(
            $"{SupervisorApi.Cancel}/{Uri.EscapeDataString(requestId)}",
            ex => Log.CancelFailed(_logger, requestId, ex));

    /// <summary>Tells the supervisor this gateway is alive, so the leases it holds stay valid.</summary>
    public void HeartbeatInBackground()
        => RunInBackground(
            $"{SupervisorApi.Heartbeat}/{Uri.EscapeDataString(InstanceId)}",
            ex => Log.HeartbeatFailed(_logger, ex.Message));

    /// <summary>Stops every model; answers once they are all stopped.</summary>
    public Task<SupervisorCallResult> UnloadAllAsync(CancellationToken cancellationToken)
        => PostAsync(SupervisorApi.UnloadAll, cancellationToken);

    /// <summary>Stops one model (a real ID; slashes allowed).</summary>
    public Task<SupervisorCallResult> UnloadModelAsync(string modelId, CancellationToken cancellationToken)
        => PostAsync($"{SupervisorApi.UnloadModel}/{EscapePath(modelId)}", cancellationToken);

    /// <summary>Where a waiting request stands (see <see cref="QueueStatus"/>); null when it is not waiting or the supervisor cannot say.</summary>
    public async Task<int?> GetQueuePositionAsync(string requestId, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await _http.GetAsync($"{SupervisorApi.Queue}/{Uri.EscapeDataString(requestId)}", cancellationToken);
            return response.IsSuccessStatusCode
                ? (await response.Content.ReadFromJsonAsync<QueueStatus>(Json, cancellationToken))?.Position
                : null;
        }
        catch (HttpRequestException)
        {
            // Progress text only: a missing position must not fail the request.
            return null;
        }
    }

    /// <summary>Every configured model's state, straight from the supervisor.</summary>
    public async Task<IReadOnlyList<ModelStateRecord>> GetStateAsync(CancellationToken cancellationToken)
        => await _http.GetFromJsonAsync<ModelStateRecord[]>(SupervisorApi.State, Json, cancellationToken) ?? [];

    public async ValueTask DisposeAsync()
    {
        var pending = _background.Keys.ToArray();
        if (pending.Length > 0)
        {
            // Let releases posted by the last requests land, so the supervisor does not hold their slots.
            await Task.WhenAll(pending).WaitAsync(BackgroundCallTimeout).ContinueWith(_ => { }, TaskScheduler.Default);
        }

        _http.Dispose();
    }

    private async Task<SupervisorCallResult> PostAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await _http.PostAsync(path, content: null, cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                return new SupervisorCallResult((int)response.StatusCode, null, null);
            }

            var (message, code) = await ReadErrorAsync(response, cancellationToken);
            return new SupervisorCallResult((int)response.StatusCode, message, code);
        }
        catch (HttpRequestException ex)
        {
            Log.CallFailed(_logger, path, ex);
            return new SupervisorCallResult(StatusCodes.Status502BadGateway, $"supervisor unreachable: {ex.Message}", null);
        }
    }

    private void RunInBackground(string path, Action<Exception> onFailure)
    {
        var task = Task.Run(async () =>
        {
            try
            {
                using var timeout = new CancellationTokenSource(BackgroundCallTimeout);
                using var response = await _http.PostAsync(path, content: null, timeout.Token);
                if (!response.IsSuccessStatusCode)
                {
                    onFailure(new HttpRequestException($"supervisor answered {(int)response.StatusCode}", null, response.StatusCode));
                }
            }
            catch (Exception ex)
            {
                onFailure(ex);
            }
        });

        _background.TryAdd(task, 0);
        task.ContinueWith(t => _background.TryRemove(t, out _), TaskScheduler.Default);
    }

    private static async Task<(string Message, string? Code)> ReadErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        try
        {
            if (JsonSerializer.Deserialize<SupervisorError>(text, Json) is { Message.Length: > 0 } error)
            {
                return (error.Message, error.Code);
            }
        }
        catch (JsonException)
        {
            // Not the contract's shape: fall through and show whatever it said.
        }

        return (string.IsNullOrWhiteSpace(text) ? $"supervisor answered {(int)response.StatusCode} {response.ReasonPhrase}" : text.Trim(), null);
    }

    private static void Describe(System.Diagnostics.Activity span, AcquireOutcome outcome)
    {
        switch (outcome)
        {
            case AcquireOutcome.Granted granted:
                span.SetTag("llamaswap.queue_wait_ms", granted.Lease.QueueWaitMs);
                span.SetTag("llamaswap.load_ms", granted.Lease.LoadMs);
                break;
            case AcquireOutcome.Refused refused:
                span.SetTag("http.response.status_code", refused.StatusCode);
                span.SetStatus(ActivityStatusCode.Error, refused.Message);
                break;
            case AcquireOutcome.Failed failed:
                span.SetStatus(ActivityStatusCode.Error, failed.Message);
                break;
            case AcquireOutcome.Unavailable unavailable:
                span.SetStatus(ActivityStatusCode.Error, unavailable.Message);
                break;
            case AcquireOutcome.ClientGone:
                span.SetTag("llamaswap.outcome", "cancelled");
                break;
        }
    }

    private static string EscapePath(string modelId)
        => string.Join('/', modelId.Split('/').Select(Uri.EscapeDataString));
}
