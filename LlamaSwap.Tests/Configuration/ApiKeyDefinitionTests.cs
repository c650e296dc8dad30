using System.Security.Cryptography;
using System.Text;
using LlamaSwap.Core.Configuration;

namespace LlamaSwap.Tests.Configuration;

public sealed class ApiKeyDefinitionTests
{
    private static readonly string SecretHex = Convert.ToHexStringLower(SHA256.HashData("sk-hashed"u8));

    private static byte[] Hash(string secret) => SHA256.HashData(Encoding.UTF8.GetBytes(secret));

    [Fact]
    public void PlainString_IsAnUnrestrictedDefinitionWithAFingerprintName()
    {
        var config = ConfigAssert.Loads("apiKeys: [sk-plain]");

        Assert.Equal(["sk-plain"], config.ApiKeys);
        var key = Assert.Single(config.KeyDefinitions);
        Assert.True(key.IsUnrestricted);
        Assert.Equal(Hash("sk-plain"), key.Sha256);
        Assert.Equal("key-" + Convert.ToHexStringLower(Hash("sk-plain"))[..8], key.Name);
    }

    [Fact]
    public void Mapping_EveryField_Read()
    {
        var config = ConfigAssert.Loads("""
            apiKeys:
              - key: sk-team
                name: team-a
                models: ["qwen-*", "llama"]
                scopes: [inference, read]
                requestsPerMinute: 60
                tokensPerMinute: "1000"
                maxConcurrent: 2
                expires: 2027-01-31T12:00:00+01:00
            """);

        Assert.Empty(config.ApiKeys);
        var key = Assert.Single(config.KeyDefinitions);
        Assert.Equal("team-a", key.Name);
        Assert.Equal(Hash("sk-team"), key.Sha256);
        Assert.Equal(["qwen-*", "llama"], key.Models);
        Assert.Equal(ApiKeyScopes.Inference | ApiKeyScopes.Read, key.Scopes);
        Assert.Equal(60, key.RequestsPerMinute);
        Assert.Equal(1000, key.TokensPerMinute);
        Assert.Equal(2, key.MaxConcurrent);
        Assert.Equal(new DateTimeOffset(2027, 1, 31, 11, 0, 0, TimeSpan.Zero), key.Expires);
        Assert.False(key.IsUnrestricted);
    }

    [Fact]
    public void Mapping_Defaults_AreFullAccessAndFingerprintName()
    {
        var key = Assert.Single(ConfigAssert.Loads("apiKeys: [{key: sk-x}]").KeyDefinitions);

        Assert.True(key.IsUnrestricted);
        Assert.StartsWith("key-", key.Name, StringComparison.Ordinal);
    }

    [Fact]
    public void Sha256_AndKeyWithSha256Prefix_StoreTheGivenHash()
    {
        var config = ConfigAssert.Loads($"""
            apiKeys:
              - sha256: {SecretHex.ToUpperInvariant()}
                name: by-hash
              - key: "sha256:{Convert.ToHexStringLower(Hash("other"))}"
                name: by-prefixed-key
            """);

        Assert.Equal(Hash("sk-hashed"), config.KeyDefinitions[0].Sha256);
        Assert.Equal(Hash("other"), config.KeyDefinitions[1].Sha256);
    }

    [Fact]
    public void MixedList_KeepsConfigOrder()
    {
        var config = ConfigAssert.Loads("""
            apiKeys:
              - sk-one
              - {key: sk-two, name: two}
            """);

        Assert.Equal(["sk-one"], config.ApiKeys);
        Assert.Equal(2, config.KeyDefinitions.Count);
        Assert.Equal("two", config.KeyDefinitions[1].Name);
    }

    [Fact]
    public void SamePlainKeyTwice_IsAccepted() => Assert.Single(ConfigAssert.Loads("apiKeys: [a, a]").KeyDefinitions);

    [Fact]
    public void EveryError_ReportedWithItsPath()
    {
        var result = ConfigAssert.Fails($"""
            apiKeys:
              - {"{"}key: sk-0, sha256: {SecretHex}{"}"}
              - {"{"}name: nothing{"}"}
              - {"{"}key: sk-2, scopes: [inference, write]{"}"}
              - {"{"}sha256: abc123{"}"}
              - {"{"}key: "sha256:zz"{"}"}
              - {"{"}key: sk-5, name: dup{"}"}
              - {"{"}key: sk-6, name: dup{"}"}
              - {"{"}key: sk-7, requestsPerMinute: 0, tokensPerMinute: -5, maxConcurrent: 0{"}"}
              - {"{"}key: sk-8, expires: "tomorrow"{"}"}
              - {"{"}key: sk-9, expires: "2027-01-31T12:00:00"{"}"}
              - {"{"}key: sk-10, scope: [read]{"}"}
              - {"{"}key: sk-11, models: []{"}"}
              - {"{"}key: sk-12, scopes: []{"}"}
              - {"{"}key: "has space"{"}"}
              - {"{"}key: sk-14, name: "bad name"{"}"}
              - {"{"}key: sk-5, name: again{"}"}
              - [not, a, key]
              - {"{"}key: sk-17, models: ["ok", ""]{"}"}
            """);

        ConfigAssert.HasError(result, "apiKeys[0]", "either key or sha256, not both");
        ConfigAssert.HasError(result, "apiKeys[1]", "needs key or sha256");
        ConfigAssert.HasError(result, "apiKeys[2].scopes[1]", "unknown scope \"write\"");
        ConfigAssert.HasError(result, "apiKeys[3].sha256", "64 hexadecimal digits");
        ConfigAssert.HasError(result, "apiKeys[4].key", "64 hexadecimal digits");
        ConfigAssert.HasError(result, "apiKeys[6].name", "duplicate key name \"dup\" (also at apiKeys[5])");
        ConfigAssert.HasError(result, "apiKeys[7].requestsPerMinute", "must be a positive integer, got 0");
        ConfigAssert.HasError(result, "apiKeys[7].tokensPerMinute", "must be a positive integer, got -5");
        ConfigAssert.HasError(result, "apiKeys[7].maxConcurrent", "must be a positive integer, got 0");
        ConfigAssert.HasError(result, "apiKeys[8].expires", "RFC 3339");
        ConfigAssert.HasError(result, "apiKeys[9].expires", "RFC 3339");
        ConfigAssert.HasError(result, "apiKeys[10].scope", "unknown key");
        ConfigAssert.HasError(result, "apiKeys[11].models", "must not be empty");
        ConfigAssert.HasError(result, "apiKeys[12].scopes", "must not be empty");
        ConfigAssert.HasError(result, "apiKeys[13].key", "cannot contain spaces");
        ConfigAssert.HasError(result, "apiKeys[14].name", "must be 1-64 letters");
        ConfigAssert.HasError(result, "apiKeys[15]", "the same key is already defined at apiKeys[5]");
        ConfigAssert.HasError(result, "apiKeys[16]", "expected a key string or a key mapping");
        ConfigAssert.HasError(result, "apiKeys[17].models[1]", "empty model pattern");
    }

    [Fact]
    public void NotAList_IsAnError() => ConfigAssert.HasError(ConfigAssert.Fails("apiKeys: sk-1"), "apiKeys", "expected a list");

    [Fact]
    public void ConfigObject_KeepsNoSecretOfMappingKeys()
    {
        var config = ConfigAssert.Loads("apiKeys: [{key: sk-very-secret, name: n}]");

        Assert.DoesNotContain("sk-very-secret", config.ToString(), StringComparison.Ordinal);
        Assert.Empty(config.ApiKeys);
    }

    [Theory]
    [InlineData("qwen-*", "qwen-small", true)]
    [InlineData("qwen-*", "llama", false)]
    [InlineData("qwen-?", "qwen-a", true)]
    [InlineData("qwen-?", "qwen-ab", false)]
    [InlineData("author/*", "author/model/v2", true)]
    [InlineData("*", "", true)]
    [InlineData("Qwen-*", "qwen-small", false)]
    [InlineData("*-small", "qwen-small", true)]
    [InlineData("a*b*c", "aXXbYYc", true)]
    [InlineData("a*b*c", "aXXbYY", false)]
    public void ModelGlob_Matches(string pattern, string name, bool expected) => Assert.Equal(expected, ModelGlob.IsMatch(pattern, name));

    [Fact]
    public void Claim_JudgesTheFinalTarget_ByTheKeysGlobs()
    {
        var claim = LlamaSwap.Core.Security.KeyClaim.For(new ApiKeyConfig { Name = "k", Sha256 = Hash("k"), Models = ["qwen-*", "peer/*"] });

        Assert.False(claim.AllowsEveryModel);
        Assert.True(claim.AllowsModel("qwen-small"));
        Assert.True(claim.AllowsModel("peer/anything"));
        Assert.False(claim.AllowsModel("llama"));
        Assert.True(LlamaSwap.Core.Security.KeyClaim.For(new ApiKeyConfig { Name = "all", Sha256 = Hash("all") }).AllowsEveryModel);
    }

    [Fact]
    public void IsExpiredAt_FromTheExpiryInstantOn()
    {
        var expires = new DateTimeOffset(2027, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var key = new ApiKeyConfig { Name = "k", Sha256 = Hash("k"), Expires = expires };

        Assert.False(key.IsExpiredAt(expires.AddTicks(-1)));
        Assert.True(key.IsExpiredAt(expires));
    }
}
