using LlamaSwap.Gateway.Activity;

namespace LlamaSwap.Tests.Gateway.Activity;

public sealed class BodyTapTests
{
    [Fact]
    public void SmallBody_KeptWhole()
    {
        using var tap = new BodyTap();
        tap.Append([1, 2, 3]);
        tap.Append([4, 5]);

        Assert.Equal(new byte[] { 1, 2, 3, 4, 5 }, tap.Kept().ToArray());
        Assert.False(tap.Truncated);
        Assert.Equal(5, tap.TotalBytes);
    }

    [Fact]
    public void GrowsPastInitialBuffer_KeepsEveryByteInOrder()
    {
        using var tap = new BodyTap();
        var expected = new byte[100_000];
        new Random(1).NextBytes(expected);
        for (var i = 0; i < expected.Length; i += 777)
        {
            tap.Append(expected.AsSpan(i, Math.Min(777, expected.Length - i)));
        }

        Assert.Equal(expected, tap.Kept().ToArray());
    }

    [Fact]
    public void BeyondTheHeadLimit_OnlyTheTailKeptInOrder()
    {
        using var tap = new BodyTap();
        var total = BodyTap.HeadLimit + (3 * BodyTap.TailBytes) + 123;
        var all = new byte[total];
        for (var i = 0; i < total; i++)
        {
            all[i] = (byte)(i * 31);
        }

        for (var i = 0; i < total; i += 5000)
        {
            tap.Append(all.AsSpan(i, Math.Min(5000, total - i)));
        }

        Assert.True(tap.Truncated);
        Assert.Equal(total, tap.TotalBytes);
        Assert.Equal(BodyTap.TailBytes, tap.KeptBytes);
        Assert.Equal(all[^BodyTap.TailBytes..], tap.Kept().ToArray());
    }

    [Fact]
    public void OneHugeWrite_TailIsItsEnd()
    {
        using var tap = new BodyTap();
        var big = new byte[BodyTap.HeadLimit + 10];
        big[^1] = 42;

        tap.Append(big);

        Assert.True(tap.Truncated);
        Assert.Equal(42, tap.Kept().Span[^1]);
        Assert.Equal(BodyTap.TailBytes, tap.Kept().Length);
    }
}
