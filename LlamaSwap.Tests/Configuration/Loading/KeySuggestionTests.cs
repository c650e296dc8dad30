using LlamaSwap.Core.Configuration.Loading;

namespace LlamaSwap.Tests.Configuration.Loading;

public sealed class KeySuggestionTests
{
    [Theory]
    [InlineData("modles", "models", 1)]
    [InlineData("models", "models", 0)]
    [InlineData("", "ttl", 3)]
    [InlineData("kitten", "sitting", 3)]
    [InlineData("cmdd", "cmd", 1)]
    [InlineData("alias", "aliases", 2)]
    [InlineData("ca", "abc", 3)]
    public void Between_CountsInsertionsDeletionsSubstitutionsAndSwaps(string a, string b, int expected)
    {
        Assert.Equal(expected, EditDistance.Between(a, b));
        Assert.Equal(expected, EditDistance.Between(b, a));
    }

    [Theory]
    [InlineData("modles", "models")]
    [InlineData("healthcheckTimeout", "healthCheckTimeout")]
    [InlineData("HEALTHCHECKTIMEOUT", "healthCheckTimeout")]
    [InlineData("startport", "startPort")]
    [InlineData("globalTtl", "globalTTL")]
    [InlineData("modelz", "models")]
    [InlineData("sendLodingState", "sendLoadingState")]
    public void For_ANearKey_IsSuggested(string unknown, string expected)
        => Assert.Equal(expected, KeySuggestion.For(unknown, TopLevel));

    [Theory]
    [InlineData("somethingNew")]
    [InlineData("servers")]
    [InlineData("x")]
    public void For_NothingNear_IsNull(string unknown)
        => Assert.Null(KeySuggestion.For(unknown, TopLevel));

    [Fact]
    public void For_AShortKey_AllowsOneEditOnly()
    {
        Assert.Equal("ttl", KeySuggestion.For("tl", ["ttl"]));
        Assert.Null(KeySuggestion.For("ab", ["abcd"]));
    }

    [Fact]
    public void For_ATie_GoesToTheFirstValidKey()
    {
        Assert.Equal("cat", KeySuggestion.For("bat", ["cat", "hat"]));
        Assert.Equal("hat", KeySuggestion.For("bat", ["hat", "cat"]));
    }

    private static readonly string[] TopLevel =
        ["healthCheckTimeout", "logLevel", "startPort", "globalTTL", "sendLoadingState", "models", "groups", "macros"];
}
