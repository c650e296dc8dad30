using System.IO.Pipelines;
using System.Text;
using LlamaSwap.AuthProxy.Hardening;
using LlamaSwap.Tests.Infrastructure;
using Microsoft.AspNetCore.Connections;

namespace LlamaSwap.Tests.AuthProxy.Hardening;

public sealed class RequestHeadCheckTests
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(5);

    private readonly ManualTimeProvider _time = new();
    private readonly Pipe _pipe = new();
    private readonly DefaultConnectionContext _connection;

    public RequestHeadCheckTests() => _connection = new DefaultConnectionContext("c1", new Duplex(_pipe.Reader, new Pipe().Writer), new Duplex(new Pipe().Reader, _pipe.Writer));

    private Task<HeadArrival> WaitAsync(long maxHeadBytes = 1024) => RequestHeadCheck.WaitAsync(_connection, Within, TimeSpan.FromSeconds(10), maxHeadBytes, _time);

    private async Task SendAsync(string text) => await _pipe.Writer.WriteAsync(Encoding.ASCII.GetBytes(text));

    [Fact]
    public async Task HeadInTwoWrites_IsComplete_AndNothingIsConsumed()
    {
        var waiting = WaitAsync();
        await SendAsync("GET /v1/models HTTP/1.1\r\nHo");
        await SendAsync("st: x\r\n\r\n{body");

        Assert.Equal(HeadArrival.Complete, await waiting);
        var result = await _pipe.Reader.ReadAsync();
        Assert.Equal("GET /v1/models HTTP/1.1\r\nHost: x\r\n\r\n{body", Encoding.ASCII.GetString(result.Buffer));
    }

    [Fact]
    public async Task HeadBegunButNotFinishedInTime_IsPartial()
    {
        var waiting = WaitAsync();
        await SendAsync("GET /v1/models HTTP/1.1\r\nX-Slow: a");

        _time.Advance(Within);

        Assert.Equal(HeadArrival.Partial, await waiting);
    }

    [Fact]
    public async Task NotAByteInTime_IsSilent()
    {
        var waiting = WaitAsync();

        _time.Advance(Within);

        Assert.Equal(HeadArrival.Silent, await waiting);
    }

    [Fact]
    public async Task MoreThanAHeadMayHoldWithoutItsEnd_IsPartial_AtOnce()
    {
        var waiting = WaitAsync(maxHeadBytes: 64);
        await SendAsync("GET /v1/models HTTP/1.1\r\nX-Big: " + new string('a', 100));

        Assert.Equal(HeadArrival.Partial, await waiting);
    }

    [Fact]
    public async Task ClientClosingFirst_IsClosed()
    {
        var waiting = WaitAsync();
        await SendAsync("GET /v1/mo");
        await _pipe.Writer.CompleteAsync();

        Assert.Equal(HeadArrival.Closed, await waiting);
    }

    private sealed record Duplex(PipeReader Input, PipeWriter Output) : IDuplexPipe;
}
