using LlamaSwap.Gateway.Http;
using LlamaSwap.Gateway.Inflight;

namespace LlamaSwap.Gateway.Activity;

/// <summary>
/// The response body seen by everything that answers a recorded request: each write and flush goes
/// straight to the client (SSE stays unbuffered) and is copied into a bounded <see cref="BodyTap"/>.
/// </summary>
internal sealed class ResponseTee(Stream inner, HttpResponse response, InflightRequest request, BodyTap tap) : WriteThroughStream(inner)
{
    protected override void OnFlush() => request.OnResponseStarted(response);

    protected override void OnWrite(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty)
        {
            return;
        }

        request.OnResponseStarted(response);
        tap.Append(data);
        request.OnResponseBytes(data.Length);
    }
}
