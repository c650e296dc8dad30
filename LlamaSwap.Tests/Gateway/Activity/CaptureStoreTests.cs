using LlamaSwap.Core.Configuration;
using LlamaSwap.Gateway.Activity;
using static LlamaSwap.Tests.Gateway.Activity.StoreFixtures;

namespace LlamaSwap.Tests.Gateway.Activity;

/// <summary>Captures in the activity store: within <c>captureBuffer</c>, oldest evicted first.</summary>
public sealed class CaptureStoreTests
{
    private const int Mb = 1024 * 1024;

    [Fact]
    public void Disabled_KeepsNothing()
    {
        using var store = InMemory(captureMb: 0);

        Assert.False(store.CapturesEnabled);
        var row = store.Record(Row(1), Sized(10));
        Assert.False(row.HasCapture);
        Assert.Null(store.Capture(row.Id));
    }

    [Fact]
    public void Kept_ReadBackWithItsRowsId()
    {
        using var store = InMemory();
        var capture = new Capture
        {
            RequestPath = "/v1/chat/completions",
            RequestHeaders = new Dictionary<string, string> { ["Content-Type"] = "application/json" },
            RequestBody = [1, 2, 3],
            ResponseHeaders = new Dictionary<string, string> { ["X-A"] = "b" },
            ResponseBody = [],
        };

        var row = store.Record(Row(1), capture);
        var read = store.Capture(row.Id);

        Assert.True(row.HasCapture);
        Assert.NotNull(read);
        Assert.Equal(row.Id, read.Id);
        Assert.Equal(capture.RequestHeaders, read.RequestHeaders);
        Assert.Equal(capture.RequestBody, read.RequestBody);
        Assert.Equal(capture.ResponseHeaders, read.ResponseHeaders);
        Assert.Equal(capture.ResponseBody, read.ResponseBody);
    }

    [Fact]
    public void Full_OldestEvictedFirstAndTheirRowsSaySo()
    {
        using var store = InMemory(captureMb: 1);
        for (var n = 1; n <= 5; n++)
        {
            Assert.True(store.Record(Row(n), Sized(300 * 1024)).HasCapture);
        }

        Assert.Null(store.Capture(1));
        Assert.Null(store.Capture(2));
        Assert.NotNull(store.Capture(3));
        Assert.NotNull(store.Capture(5));
        Assert.True(store.Database.CaptureBytes() <= Mb);
        var flags = store.Query(ActivityQuery.Parse(new Microsoft.AspNetCore.Http.QueryCollection(), out _)!).Data.ToDictionary(e => e.Id, e => e.HasCapture);
        Assert.False(flags[1]);
        Assert.False(flags[2]);
        Assert.True(flags[3]);
    }

    [Fact]
    public void BiggerThanTheBuffer_Skipped()
    {
        using var store = InMemory(captureMb: 1);
        store.Record(Row(1), Sized(100));

        var big = store.Record(Row(2), Sized(Mb + 1));

        Assert.False(big.HasCapture);
        Assert.Null(store.Capture(2));
        Assert.NotNull(store.Capture(1));
    }

    [Fact]
    public void ReloadShrinkingTheBuffer_AppliesFromTheNextCapture()
    {
        var config = Config(captureMb: 2);
        using var store = Store(config);
        store.Record(Row(1), Sized(900 * 1024));
        store.Record(Row(2), Sized(900 * 1024));

        config.Replace(new LlamaSwapConfig { Observability = new ObservabilityConfig { CaptureBufferMegabytes = 1 } });
        store.Record(Row(3), Sized(100 * 1024));

        Assert.Null(store.Capture(1));
        Assert.NotNull(store.Capture(2));
        Assert.NotNull(store.Capture(3));
        Assert.True(store.Database.CaptureBytes() <= Mb);
    }

    [Theory]
    [InlineData("/v1/chat/completions", true, true)]
    [InlineData("/v1/audio/speech", true, false)]
    [InlineData("/v1/images/generations", true, false)]
    [InlineData("/sdapi/v1/txt2img", true, false)]
    [InlineData("/v1/audio/voices", false, true)]
    [InlineData("/v1/audio/transcriptions", false, true)]
    [InlineData("/v1/images/edits", false, false)]
    [InlineData("/sdapi/v1/img2img", false, false)]
    public void Masks_PerRoute(string route, bool requestBody, bool responseBody)
        => Assert.Equal(new CaptureMask(requestBody, responseBody), CaptureMask.For(route));
}
