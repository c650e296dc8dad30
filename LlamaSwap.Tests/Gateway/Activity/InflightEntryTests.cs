using LlamaSwap.Gateway.Inflight;
using LlamaSwap.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;

namespace LlamaSwap.Tests.Gateway.Activity;

/// <summary>The in-flight list and its events (reference 2.4), which the recorder's tee feeds.</summary>
public sealed class InflightEntryTests
{
    private static DefaultHttpContext Context()
    {
        var context = new DefaultHttpContext();
        context.Request.Method = "POST";
        context.Request.Path = "/v1/chat/completions";
        context.Request.Headers.Authorization = "Bearer sk-secret";
        context.Request.Headers["X-Forwarded-For"] = "10.1.2.3, 127.0.0.1";
        context.Request.Headers["X-Session-ID"] = "s1";
        return context;
    }

    [Fact]
    public void Snapshot_ReferenceEntryWithRedactedHeaders()
    {
        var time = new ManualTimeProvider();
        var inflight = new InflightRequests(time);
        using var tracked = inflight.Track(Context());
        tracked.Request.Model = "llama";
        time.Advance(TimeSpan.FromMilliseconds(1500));

        var entry = Assert.Single(inflight.Snapshot());

        Assert.Equal(tracked.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), entry.Id);
        Assert.Equal("llama", entry.Model);
        Assert.Equal("/v1/chat/completions", entry.RequestPath);
        Assert.Equal("POST", entry.Method);
        Assert.Equal("[REDACTED]", entry.RequestHeaders["Authorization"]);
        Assert.Equal("s1", entry.RequestHeaders["X-Session-ID"]);
        Assert.Equal("10.1.2.3", entry.RemoteIp);
        Assert.Equal(1500, entry.ElapsedMs);
    }

    [Fact]
    public void Events_StartHeadersThrottledProgressEnd()
    {
        var time = new ManualTimeProvider();
        var inflight = new InflightRequests(time);
        var seen = new List<InflightChange>();
        inflight.Changed += (_, change) => seen.Add(change);
        var context = Context();

        using (var tracked = inflight.Track(context))
        {
            var request = tracked.Request;
            request.OnResponseStarted(context.Response);
            request.OnResponseStarted(context.Response);
            request.OnResponseBytes(10);
            request.OnResponseBytes(10);
            time.Advance(InflightRequests.ProgressInterval);
            request.OnResponseBytes(10);
            request.OnResponseBytes(10);
            Assert.Equal(40, request.ResponseBytes);
        }

        Assert.Equal([InflightChange.Started, InflightChange.ResponseStarted, InflightChange.Progress, InflightChange.Ended], seen);
        Assert.Empty(inflight.Snapshot());
    }
}
