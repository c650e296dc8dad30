using LlamaSwap.AuthProxy.Keys;

namespace LlamaSwap.Tests.AuthProxy;

public sealed class ApiKeySetTests
{
    [Fact]
    public void Matches_AnyConfiguredKey()
    {
        var keys = new ApiKeySet(["alpha", "beta-longer-key"]);
        Assert.True(keys.Matches("alpha"));
        Assert.True(keys.Matches("beta-longer-key"));
    }

    [Theory]
    [InlineData("alph")]
    [InlineData("alphaa")]
    [InlineData("ALPHA")]
    [InlineData("")]
    [InlineData(null)]
    public void Rejects_NearMissesAndEmpty(string? candidate) => Assert.False(new ApiKeySet(["alpha"]).Matches(candidate));

    [Fact]
    public void NoKeys_IsOpen_ButMatchesNothing()
    {
        var keys = new ApiKeySet(["", ""]);
        Assert.True(keys.IsOpen);
        Assert.False(keys.Matches("anything"));
    }

    [Fact]
    public void Duplicates_AreCollapsed() => Assert.Equal(1, new ApiKeySet(["a", "a"]).Count);
}
