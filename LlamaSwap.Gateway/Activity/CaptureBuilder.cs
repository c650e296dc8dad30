using LlamaSwap.Gateway.Inflight;
using Microsoft.Net.Http.Headers;

namespace LlamaSwap.Gateway.Activity;

/// <summary>A finished request as a capture (reference 2.4.3): redacted headers, decoded body, the route's mask.</summary>
internal static class CaptureBuilder
{
    /// <param name="decodedResponse">The response body with its Content-Encoding undone; null when it could not be.</param>
    public static Capture Build(long id, InflightRequest request, ActivityTap tap, ReadOnlyMemory<byte>? decodedResponse)
    {
        var mask = CaptureMask.For(request.Route ?? request.Path);
        return new Capture
        {
            Id = id,
            RequestPath = request.Path,
            RequestHeaders = SensitiveHeaders.Redact(request.RequestHeaders),
            RequestBody = mask.RequestBody ? RequestBody(tap) : null,
            // The body is stored decoded, so its encoding header would lie.
            ResponseHeaders = SensitiveHeaders.Redact(request.ResponseHeaders ?? [], without: HeaderNames.ContentEncoding),
            // A failed request never keeps its response body.
            ResponseBody = mask.ResponseBody && request.StatusCode == StatusCodes.Status200OK ? decodedResponse?.ToArray() : null,
        };
    }

    private static byte[]? RequestBody(ActivityTap tap)
    {
        if (tap.RequestBody is { } buffered)
        {
            return buffered.ToArray();
        }

        return tap.StreamedRequest is { Truncated: false } streamed ? streamed.Kept().ToArray() : null;
    }
}
