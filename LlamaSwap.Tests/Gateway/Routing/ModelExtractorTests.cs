using System.Text;
using LlamaSwap.Gateway.Pipeline.Extraction;
using LlamaSwap.Gateway.Routing;
using Microsoft.AspNetCore.Http;

namespace LlamaSwap.Tests.Gateway.Routing;

public sealed class ModelExtractorTests
{
    private static async Task<string?> Extract(string method, string? contentType, string body, string query = "")
    {
        var context = new DefaultHttpContext();
        context.Request.QueryString = new QueryString(query);
        return (await ModelExtractor.ExtractAsync(method, contentType, context.Request.Query, Encoding.UTF8.GetBytes(body))).Name;
    }

    [Fact]
    public async Task Json_TopLevelModel_IsFound()
        => Assert.Equal("llama", await Extract("POST", "application/json", """{"messages":[{"model":"nested"}],"model":"llama"}"""));

    [Fact]
    public async Task Json_WithCharset_IsStillJson()
        => Assert.Equal("llama", await Extract("POST", "application/json; charset=utf-8", """{"model":"llama"}"""));

    [Fact]
    public async Task Json_NestedModelOnly_IsNone()
        => Assert.Null(await Extract("POST", "application/json", """{"options":{"model":"llama"}}"""));

    [Fact]
    public async Task Json_ModelNotAString_IsNone()
        => Assert.Null(await Extract("POST", "application/json", """{"model":42}"""));

    [Theory]
    [InlineData("""{"model":"llama",""")]
    [InlineData("""{"model":"llama"} trailing""")]
    [InlineData("not json at all")]
    [InlineData("")]
    public async Task Json_Invalid_IsNone(string body)
        => Assert.Null(await Extract("POST", "application/json", body));

    [Fact]
    public async Task Json_QueryIsNotAFallback()
        => Assert.Null(await Extract("POST", "application/json", """{"prompt":"hi"}""", "?model=llama"));

    [Fact]
    public async Task JsonBody_WithoutContentType_IsNotInspected()
        => Assert.Null(await Extract("POST", null, """{"model":"llama"}"""));

    [Fact]
    public async Task JsonBody_WithoutContentType_FallsBackToQuery()
        => Assert.Equal("from-query", await Extract("POST", null, """{"model":"llama"}""", "?model=from-query"));

    [Fact]
    public async Task Multipart_ModelField_IsFound()
    {
        const string body = "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.wav\"\r\nContent-Type: audio/wav\r\n\r\nRIFF....\r\n"
            + "--XyZ\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\nwhisper\r\n--XyZ--\r\n";
        Assert.Equal("whisper", await Extract("POST", "multipart/form-data; boundary=XyZ", body));
    }

    [Fact]
    public async Task Multipart_Malformed_IsNone()
        => Assert.Null(await Extract("POST", "multipart/form-data; boundary=XyZ", "garbage"));

    [Fact]
    public async Task UrlEncodedForm_ModelField_IsFound()
        => Assert.Equal("my model", await Extract("POST", "application/x-www-form-urlencoded", "prompt=x&model=my+model"));

    [Fact]
    public async Task Get_ModelQuery_IsFound()
        => Assert.Equal("voices-model", await Extract("GET", null, "", "?model=voices-model&x=1"));

    [Fact]
    public async Task Get_WithoutQuery_IsNone()
        => Assert.Null(await Extract("GET", null, ""));
}
