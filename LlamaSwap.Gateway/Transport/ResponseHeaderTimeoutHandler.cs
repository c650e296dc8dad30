namespace LlamaSwap.Gateway.Transport;

/// <summary>
/// Fails an upstream or peer call whose response headers take longer than <paramref name="timeout"/>. Only the
/// wait for headers is limited (as with HttpClient's timeout under ResponseHeadersRead): a stream
/// that has started may stay quiet for as long as the upstream needs.
/// </summary>
internal sealed class ResponseHeaderTimeoutHandler(HttpMessageHandler inner, TimeSpan timeout) : DelegatingHandler(inner)
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        // Disposed once the headers are in: SocketsHttpHandler stops watching this token by then.
        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(timeout);
        try
        {
            return await base.SendAsync(request, timeoutSource.Token);
        }
        catch (OperationCanceledException) when (timeoutSource.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            // Not an OperationCanceledException, so the forwarder reports a failed request, not a client abort.
            throw new TimeoutException($"timeout awaiting response headers after {timeout.TotalSeconds:0}s");
        }
    }
}
