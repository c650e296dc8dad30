using LlamaSwap.AppHost.Redis;

namespace LlamaSwap.AppHost.Run;

/// <summary>How the AppHost knows a resource is ready.</summary>
internal abstract record HealthProbe
{
    public abstract string Target { get; }

    public abstract Task<bool> CheckAsync(HttpClient http, CancellationToken cancellationToken);
}

/// <summary>Ready when <c>GET url</c> answers 200.</summary>
internal sealed record HttpHealthProbe(Uri Url) : HealthProbe
{
    public override string Target => Url.ToString();

    public override async Task<bool> CheckAsync(HttpClient http, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await http.GetAsync(Url, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false; // the client's per-request timeout
        }
    }
}

/// <summary>Ready when a RESP <c>PING</c> is answered.</summary>
internal sealed record RespHealthProbe(string Host, int Port) : HealthProbe
{
    public override string Target => $"redis://{Host}:{Port}";

    public override Task<bool> CheckAsync(HttpClient http, CancellationToken cancellationToken) =>
        RespPing.TryPingAsync(Host, Port, TimeSpan.FromSeconds(2), cancellationToken);
}
