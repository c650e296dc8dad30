using System.Text;
using LlamaSwap.Gateway.Activity;
using LlamaSwap.Gateway.Inflight;
using Microsoft.AspNetCore.Http;

namespace LlamaSwap.Tests.Gateway.Activity;

public sealed class CaptureBuilderTests
{
    private static InflightRequest Finished(string path, int status, Action<HttpContext>? configure = null)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = "POST";
        context.Request.Path = path;
        context.Request.Headers.Authorization = "Bearer sk-secret";
        context.Request.Headers["Proxy-Authorization"] = "Basic secret";
        context.Request.Headers["X-Api-Key"] = "sk-secret-2";
        context.Request.Headers.Cookie = "a=secret";
        context.Request.Headers.ContentType = "application/json";
        context.Response.StatusCode = status;
        context.Response.Headers["Set-Cookie"] = "b=secret";
        context.Response.Headers.ContentEncoding = "gzip";
        context.Response.Headers.ContentType = "application/json";
        configure?.Invoke(context);
        var registration = new InflightRequests(TimeProvider.System).Track(context);
        registration.Dispose();
        return registration.Request;
    }

    private static ActivityTap Tap(string requestBody)
        => new() { RequestBody = Encoding.UTF8.GetBytes(requestBody) };

    [Fact]
    public void Headers_SensitiveRedacted_ContentEncodingRemoved()
    {
        using var tap = Tap("{}");
        var capture = CaptureBuilder.Build(7, Finished("/v1/chat/completions", 200), tap, Encoding.UTF8.GetBytes("{\"ok\":true}"));

        Assert.Equal(7, capture.Id);
        Assert.Equal("[REDACTED]", capture.RequestHeaders!["Authorization"]);
        Assert.Equal("[REDACTED]", capture.RequestHeaders["Proxy-Authorization"]);
        Assert.Equal("[REDACTED]", capture.RequestHeaders["X-Api-Key"]);
        Assert.Equal("[REDACTED]", capture.RequestHeaders["Cookie"]);
        Assert.Equal("application/json", capture.RequestHeaders["Content-Type"]);
        Assert.Equal("[REDACTED]", capture.ResponseHeaders!["Set-Cookie"]);
        Assert.False(capture.ResponseHeaders.ContainsKey("Content-Encoding"));
        Assert.Equal("{}", Encoding.UTF8.GetString(capture.RequestBody!));
        Assert.Equal("{\"ok\":true}", Encoding.UTF8.GetString(capture.ResponseBody!));
    }

    [Fact]
    public void Failed_ResponseBodyNeverKept()
    {
        using var tap = Tap("{}");
        var capture = CaptureBuilder.Build(1, Finished("/v1/chat/completions", 500), tap, Encoding.UTF8.GetBytes("{\"error\":\"x\"}"));

        Assert.Null(capture.ResponseBody);
        Assert.NotNull(capture.RequestBody);
    }

    [Fact]
    public void MaskedRoute_BinaryBodiesLeftOut()
    {
        using var tap = Tap("{}");
        var capture = CaptureBuilder.Build(1, Finished("/v1/images/edits", 200), tap, new byte[] { 1, 2, 3 });

        Assert.Null(capture.RequestBody);
        Assert.Null(capture.ResponseBody);
        Assert.NotNull(capture.RequestHeaders);
        Assert.NotNull(capture.ResponseHeaders);
    }

    [Fact]
    public void UpstreamPath_MaskedByItsRoute()
    {
        var request = Finished("/upstream/m/v1/audio/speech", 200);
        request.Route = "/v1/audio/speech";
        using var tap = Tap("{\"input\":\"x\"}");

        var capture = CaptureBuilder.Build(1, request, tap, new byte[] { 1, 2, 3 });

        Assert.Equal("/upstream/m/v1/audio/speech", capture.RequestPath);
        Assert.NotNull(capture.RequestBody);
        Assert.Null(capture.ResponseBody);
    }
}
