using System.Text.Json.Nodes;
using LlamaSwap.Gateway.Routing;

namespace LlamaSwap.Tests.Gateway.Routing;

public sealed class JsonPathTests
{
    private static JsonObject Doc(string json) => JsonNode.Parse(json)!.AsObject();

    [Fact]
    public void Split_DotsSeparate_EscapedDotStaysInTheName()
        => Assert.Equal(["a", "b.c", "d"], JsonPath.Split(@"a.b\.c.d"));

    [Fact]
    public void Set_CreatesIntermediatesAndReplacesScalarOnes()
    {
        var doc = Doc("""{"a":"text"}""");

        Assert.True(JsonPath.Set(doc, "a.b.c", 1));
        Assert.True(JsonPath.Set(doc, "x.y", JsonValue.Create(true)));

        Assert.Equal("""{"a":{"b":{"c":1}},"x":{"y":true}}""", doc.ToJsonString());
    }

    [Fact]
    public void Set_ThroughExistingArrayIndex_OtherSegmentsLeaveTheArrayAlone()
    {
        var doc = Doc("""{"messages":[{"role":"system"},{"role":"user"}]}""");

        Assert.True(JsonPath.Set(doc, "messages.1.role", "assistant"));
        Assert.False(JsonPath.Set(doc, "messages.first.role", "x"));
        Assert.False(JsonPath.Set(doc, "messages.5.role", "x"));

        Assert.Equal("""{"messages":[{"role":"system"},{"role":"assistant"}]}""", doc.ToJsonString());
    }

    [Fact]
    public void Set_ClonesTheValue_SoOneConfigNodeServesManyRequests()
    {
        var shared = new JsonObject { ["effort"] = "high" };
        var first = Doc("{}");
        var second = Doc("{}");

        Assert.True(JsonPath.Set(first, "kw", shared));
        Assert.True(JsonPath.Set(second, "kw", shared));

        Assert.Null(shared.Parent);
        Assert.Equal(first.ToJsonString(), second.ToJsonString());
    }

    [Fact]
    public void Set_NullIsAValue_AndEqualNullIsNoChange()
    {
        var doc = Doc("""{"a":1}""");

        Assert.True(JsonPath.Set(doc, "a", null));
        Assert.False(JsonPath.Set(doc, "a", null));
        Assert.Equal("""{"a":null}""", doc.ToJsonString());
    }

    [Fact]
    public void Remove_NestedKeyAndArrayItem_MissingPathsReportNoChange()
    {
        var doc = Doc("""{"a":{"b":1,"c":2},"l":[1,2,3]}""");

        Assert.True(JsonPath.Remove(doc, "a.b"));
        Assert.True(JsonPath.Remove(doc, "l.0"));
        Assert.False(JsonPath.Remove(doc, "a.b"));
        Assert.False(JsonPath.Remove(doc, "a.c.d"));
        Assert.False(JsonPath.Remove(doc, "zz.top"));

        Assert.Equal("""{"a":{"c":2},"l":[2,3]}""", doc.ToJsonString());
    }
}
