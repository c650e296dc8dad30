using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace LlamaSwap.ServiceDefaults.Health;

/// <summary>
/// The next service on the request path answers <c>GET /health</c> with 200. Its own client, not the
/// hot path's: a readiness probe must neither wait behind nor disturb pooled forwarding connections.
/// </summary>
internal sealed class NextHopHealthCheck(Uri health) : IHealthCheck, IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    private readonly HttpClient _http = new(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false }) { Timeout = Timeout };

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            using var response = await _http.GetAsync(health, cancellationToken);
            var answer = $"/health answered {(int)response.StatusCode}";
            return response.IsSuccessStatusCode ? HealthCheckResult.Healthy(answer) : HealthCheckResult.Unhealthy(answer);
        }
        catch (HttpRequestException ex)
        {
            // The auth proxy serves /ready publicly: say what failed, never where (no address, no message).
            return HealthCheckResult.Unhealthy($"unreachable ({ex.HttpRequestError})");
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy($"no answer within {Timeout.TotalSeconds:0} s");
        }
    }

    public void Dispose() => _http.Dispose();
}
