using System.Diagnostics;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Http;
using Xunit.Abstractions;

namespace LlamaSwap.Tests.AuthProxy.Hardening;

/// <summary>
/// Kestrel's timeouts as the auth proxy sets them, on a real socket: what dribbles or idles is cut,
/// what a model server does (answer headers, then think quietly for long) is not.
/// </summary>
public sealed class ConnectionTimeoutsTests(ITestOutputHelper output)
{
    private static string Keyed(string method, string path, string extraHeaders = "") =>
        $"{method} {path} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {ProxyUnderTest.Key}\r\n{extraHeaders}";

    [Fact]
    public async Task HeadersDribbledAByteASecond_AreCutAtTheHeaderTimeout()
    {
        await using var proxy = await ProxyUnderTest.StartAsync(context => context.Response.WriteAsync("gateway"), "RequestHeadersTimeout=00:00:02");
        using var client = await RawClient.ConnectAsync(IPAddress.Loopback, proxy.EndPoint, CancellationToken.None);
        var head = Keyed("GET", "/v1/models") + "X-Slow: " + new string('a', 30);

        var clock = Stopwatch.StartNew();
        var closing = client.ReadUntilClosedAsync(TimeSpan.FromSeconds(15));
        for (var i = 0; i < 15 && !closing.IsCompleted; i++)
        {
            if (!await client.TrySendAsync(i == 0 ? head[..^30] : "a"))
            {
                break;
            }

            await Task.WhenAny(closing, Task.Delay(TimeSpan.FromSeconds(1)));
        }

        var (received, closed) = await closing;
        output.WriteLine($"closed after {clock.Elapsed.TotalSeconds:F1} s, answer: {received.Split("\r\n")[0]}");
        Assert.True(closed, "a connection dribbling its headers is closed");
        // Kestrel checks its timeouts once a second and allows one check more: up to 2 s late.
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(1.9), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task SilentConnection_IsClosedAtTheKeepAliveTimeout()
    {
        await using var proxy = await ProxyUnderTest.StartAsync(context => context.Response.WriteAsync("gateway"), "KeepAliveTimeout=00:00:02");
        using var client = await RawClient.ConnectAsync(IPAddress.Loopback, proxy.EndPoint, CancellationToken.None);

        var clock = Stopwatch.StartNew();
        var (_, closed) = await client.ReadUntilClosedAsync(TimeSpan.FromSeconds(10));

        output.WriteLine($"silent connection closed after {clock.Elapsed.TotalSeconds:F1} s");
        Assert.True(closed, "a connection that never sends a byte is closed");
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(1.9), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task QuietStream_LongerThanEveryTimeout_ArrivesComplete()
    {
        // A model that answers at once, then thinks for longer than the header and keep-alive timeouts
        // and Kestrel's 5 s grace for slow responses, then finishes.
        var quiet = TimeSpan.FromSeconds(6);
        await using var proxy = await ProxyUnderTest.StartAsync(
            async context =>
            {
                context.Response.ContentType = "text/event-stream";
                await context.Response.WriteAsync("data: thinking\n\n");
                await context.Response.Body.FlushAsync();
                await Task.Delay(quiet);
                await context.Response.WriteAsync("data: answer\n\ndata: [DONE]\n\n");
            },
            "RequestHeadersTimeout=00:00:01", "KeepAliveTimeout=00:00:01");
        using var client = proxy.NewClient(TimeSpan.FromSeconds(30));

        var clock = Stopwatch.StartNew();
        using var response = await client.PostAsync("/v1/chat/completions", new StringContent("{\"stream\":true}"));
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("data: thinking\n\ndata: answer\n\ndata: [DONE]\n\n", body);
        Assert.True(clock.Elapsed >= quiet, $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task BodyDribbledBelowTheMinimumRate_IsCut_AndNeverArrivesWhole()
    {
        var gatewayGotBody = false;
        await using var proxy = await ProxyUnderTest.StartAsync(
            async context =>
            {
                using var reader = new StreamReader(context.Request.Body);
                gatewayGotBody = (await reader.ReadToEndAsync()).Length == 1000;
                await context.Response.WriteAsync("gateway");
            },
            "MinRequestBodyBytesPerSecond=100", "MinRequestBodyGracePeriod=00:00:02");
        using var client = await RawClient.ConnectAsync(IPAddress.Loopback, proxy.EndPoint, CancellationToken.None);

        var clock = Stopwatch.StartNew();
        var closing = client.ReadUntilClosedAsync(TimeSpan.FromSeconds(15));
        await client.TrySendAsync(Keyed("POST", "/v1/audio/transcriptions", "Content-Type: application/octet-stream\r\nContent-Length: 1000\r\n\r\n"));
        for (var i = 0; i < 30 && !closing.IsCompleted; i++)
        {
            await client.TrySendAsync("a");
            await Task.WhenAny(closing, Task.Delay(TimeSpan.FromMilliseconds(500)));
        }

        var (received, closed) = await closing;
        output.WriteLine($"upload at 2 B/s cut after {clock.Elapsed.TotalSeconds:F1} s, answer: {received.Split("\r\n")[0]}");
        Assert.True(closed, "an upload slower than the minimum rate is cut");
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(1.9), TimeSpan.FromSeconds(6));
        Assert.False(gatewayGotBody);
    }

    [Fact]
    public async Task SlowUploadAboveTheMinimumRate_ArrivesWhole()
    {
        var received = -1;
        await using var proxy = await ProxyUnderTest.StartAsync(
            async context =>
            {
                using var buffer = new MemoryStream();
                await context.Request.Body.CopyToAsync(buffer);
                received = (int)buffer.Length;
                await context.Response.WriteAsync("gateway");
            },
            "MinRequestBodyBytesPerSecond=100", "MinRequestBodyGracePeriod=00:00:02");
        using var client = proxy.NewClient(TimeSpan.FromSeconds(30));

        // 3 s of 400 B/s: slow, like audio from a poor link, but above the minimum of 100 B/s.
        using var response = await client.PostAsync("/v1/audio/transcriptions", new StreamContent(new TrickleStream(chunks: 30, chunkSize: 40, TimeSpan.FromMilliseconds(100))));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1200, received);
    }

    /// <summary>A request body that yields <paramref name="chunkSize"/> bytes every <paramref name="every"/>.</summary>
    private sealed class TrickleStream(int chunks, int chunkSize, TimeSpan every) : Stream
    {
        private int _sent;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_sent == chunks)
            {
                return 0;
            }

            await Task.Delay(every, cancellationToken);
            var count = Math.Min(chunkSize, buffer.Length);
            Encoding.ASCII.GetBytes(new string('a', count), buffer.Span);
            _sent++;
            return count;
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
