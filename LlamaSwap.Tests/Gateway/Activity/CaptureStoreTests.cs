using LlamaSwap.Core.Configuration;
using LlamaSwap.Gateway.Activity;
using LlamaSwap.Gateway.Configuration;

namespace LlamaSwap.Tests.Gateway.Activity;

public sealed class CaptureStoreTests
{
    private const int Mb = 1024 * 1024;

    private static ConfigHolder Config(int megabytes) => new(new LlamaSwapConfig { Observability = new ObservabilityConfig { CaptureBufferMegabytes = megabytes } });

    private static Capture Sized(long id, int bytes) => new() { Id = id, RequestPath = "/v1/chat/completions", RequestBody = new byte[bytes] };

    [Fact]
    public void Disabled_KeepsNothing()
    {
        var store = new CaptureStore(Config(0));

        Assert.False(store.Enabled);
        Assert.False(store.TryAdd(Sized(1, 10)));
        Assert.Null(store.Get(1));
    }

    [Fact]
    public void Full_OldestEvictedFirst()
    {
        var store = new CaptureStore(Config(1));
        for (var id = 1; id <= 5; id++)
        {
            Assert.True(store.TryAdd(Sized(id, 300 * 1024)));
        }

        Assert.Null(store.Get(1));
        Assert.Null(store.Get(2));
        Assert.NotNull(store.Get(3));
        Assert.NotNull(store.Get(5));
        Assert.True(store.Bytes <= Mb);
    }

    [Fact]
    public void BiggerThanTheBuffer_Skipped()
    {
        var store = new CaptureStore(Config(1));
        store.TryAdd(Sized(1, 100));

        Assert.False(store.TryAdd(Sized(2, Mb + 1)));
        Assert.Null(store.Get(2));
        Assert.NotNull(store.Get(1));
    }

    [Fact]
    public void ReloadShrinkingTheBuffer_AppliesFromTheNextCapture()
    {
        var config = Config(2);
        var store = new CaptureStore(config);
        store.TryAdd(Sized(1, 900 * 1024));
        store.TryAdd(Sized(2, 900 * 1024));

        config.Replace(new LlamaSwapConfig { Observability = new ObservabilityConfig { CaptureBufferMegabytes = 1 } });
        store.TryAdd(Sized(3, 100 * 1024));

        Assert.Null(store.Get(1));
        Assert.NotNull(store.Get(2));
        Assert.NotNull(store.Get(3));
        Assert.True(store.Bytes <= Mb);
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
