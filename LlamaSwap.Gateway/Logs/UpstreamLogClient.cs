using System.Net;
using LlamaSwap.Core.Contracts;
using LlamaSwap.Gateway.Hosting;
using Microsoft.Extensions.Options;

namespace LlamaSwap.Gateway.Logs;

/// <summary>
/// Reads the upstream log history the supervisor kept (<see cref="SupervisorApi.UpstreamLogs"/> and
/// friends), to seed a gateway that starts after upstreams already printed. A route the supervisor
/// does not know (404) reads as no history.
/// </summary>
internal sealed class UpstreamLogClient : IDisposable
{
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(10);

    private readonly HttpClient? _http;

    public UpstreamLogClient(IOptions<GatewayHostOptions> options)
    {
        // Start-up validation refuses a bad address; without one (some unit tests) there is nothing to read here.
        if (Uri.TryCreate(options.Value.SupervisorUrl, UriKind.Absolute, out var baseAddress))
        {
            _http = new HttpClient(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false })
            {
                BaseAddress = baseAddress,
                Timeout = CallTimeout,
            };
        }
    }

    /// <summary>Every upstream's output, interleaved, UTF-8.</summary>
    public async Task<byte[]> GetUpstreamHistoryAsync(CancellationToken cancellationToken)
    {
        using var response = await GetAsync(SupervisorApi.UpstreamLogs, cancellationToken);
        return response is null ? [] : await response.Content.ReadAsByteArrayAsync(cancellationToken);
    }

    /// <summary>The model IDs that printed anything.</summary>
    public async Task<IReadOnlyList<string>> GetLoggedModelsAsync(CancellationToken cancellationToken)
    {
        using var response = await GetAsync(SupervisorApi.LoggedModels, cancellationToken);
        return response is null ? [] : await response.Content.ReadFromJsonAsync<string[]>(cancellationToken) ?? [];
    }

    /// <summary>One model's output.</summary>
    public async Task<string> GetModelHistoryAsync(string modelId, CancellationToken cancellationToken)
    {
        var path = $"{SupervisorApi.ModelLogs}/{string.Join('/', modelId.Split('/').Select(Uri.EscapeDataString))}";
        using var response = await GetAsync(path, cancellationToken);
        return response is null ? "" : await response.Content.ReadAsStringAsync(cancellationToken);
    }

    public void Dispose() => _http?.Dispose();

    /// <summary>The response, or null when the supervisor has no such route; throws <see cref="HttpRequestException"/> when unreachable.</summary>
    private async Task<HttpResponseMessage?> GetAsync(string path, CancellationToken cancellationToken)
    {
        if (_http is null)
        {
            return null;
        }

        var response = await _http.GetAsync(path, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            response.Dispose();
            return null;
        }

        response.EnsureSuccessStatusCode();
        return response;
    }
}
