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
    public void KeyName_IsTheProxysHeader_OrTheAnonymousKey()
    {
        Assert.Equal("team-a", UsageKeyName.From([new("x-llamaswap-key-name", " team-a ")]));
        Assert.Equal("-", UsageKeyName.From([new("X-LlamaSwap-Key-Name", "")]));
        Assert.Equal("-", UsageKeyName.From([new("Authorization", "Bearer sk")]));
    }
}
