using LlamaSwap.Gateway.Usage;

namespace LlamaSwap.Tests.Gateway.Usage;

public sealed class UsageFieldsTests
{
    [Theory]
    [InlineData("team-a", "llama")]
    [InlineData("odd|key%7C", "model|with|bars")]
    public void Field_ParsesBackToItsKeyModelAndFigure(string key, string model)
    {
        var field = UsageFields.Field(key, model, UsageFields.Input);

        Assert.True(UsageFields.TryParse(field, out var parsedKey, out var parsedModel, out var figure));
        Assert.Equal((key, model, "in"), (parsedKey, parsedModel, figure));
    }

    [Fact]
    public void KeyName_IsTheVerifiedClaimsName_OrTheAnonymousKey()
    {
        var claimed = new Microsoft.AspNetCore.Http.DefaultHttpContext();
        claimed.Features.Set(new LlamaSwap.Core.Security.KeyClaim("team-a", ["*"]));

        Assert.Equal("team-a", UsageKeyName.Of(claimed));
        Assert.Equal("-", UsageKeyName.Of(new Microsoft.AspNetCore.Http.DefaultHttpContext()));
    }
}
