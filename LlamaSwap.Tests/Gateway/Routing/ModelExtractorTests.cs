using System.Text;
using LlamaSwap.Gateway.Pipeline.Extraction;
using LlamaSwap.Gateway.Routing;
using Microsoft.AspNetCore.Http;

namespace LlamaSwap.Tests.Gateway.Routing;

public sealed class ModelExtractorTests
{
    private static async Task<string?> Extract(string method, string? contentType, string body, string query = "")
        => (await ExtractAll(method, contentType, body, query)).Name;

    private static async Task<ExtractedModel> ExtractAll(string method, string? contentType, string body, string query = "")
    {
        var context = new DefaultHttpContext();
        context.Request.QueryString = new QueryString(query);
        return await ModelExtractor.ExtractAsync(method, contentType, context.Request.Query, Encoding.UTF8.GetBytes(body));
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

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("text/plain")]
    [InlineData("text/plain; charset=utf-8")]
    public async Task JsonBody_DeclaredAsFormOrTextOrNothing_IsReadAsJson_AndForwardedAsJson(string? contentType)
    {
        // What curl -d '{...}' sends: llama-swap answers 404 "no model id could be identified".
        var extracted = await ExtractAll("POST", contentType, " \r\n\t{\"model\":\"llama\",\"prompt\":\"a=b&c\"}");

        Assert.Equal("llama", extracted.Name);
        Assert.Null(extracted.Problem);
        Assert.Equal("application/json", extracted.ContentType);
    }

    [Fact]
    public async Task UndeclaredJson_BodyModelWinsOverTheQuery()
        => Assert.Equal("llama", await Extract("POST", "application/x-www-form-urlencoded", """{"model":"llama"}""", "?model=from-query"));

    [Fact]
    public async Task UndeclaredJson_WithoutAModel_KeepsTheFormsQueryFallback()
        => Assert.Equal("from-query", await Extract("POST", "application/x-www-form-urlencoded", """{"prompt":"x"}""", "?model=from-query"));

    [Theory]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("text/plain")]
    [InlineData(null)]
    public async Task UndeclaredJson_Malformed_IsAProblemSayingWhereItBroke(string? contentType)
    {
        var extracted = await ExtractAll("POST", contentType, """{"model":"llama" "messages":[]}""", "?model=from-query");

        Assert.Null(extracted.Name);
        Assert.StartsWith("request body is not valid JSON: ", extracted.Problem, StringComparison.Ordinal);
        Assert.Contains("BytePositionInLine: 17", extracted.Problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("application/octet-stream")]
    [InlineData("text/csv")]
    public async Task JsonLookingBody_OfAnotherDeclaredType_IsNotInspected(string contentType)
    {
        var extracted = await ExtractAll("POST", contentType, """{"model":"llama"}""", "?model=from-query");

        Assert.Equal("from-query", extracted.Name);
        Assert.Equal(contentType, extracted.ContentType);
    }

    [Fact]
    public async Task FormBody_NotStartingWithABrace_IsStillAForm()
    {
        var extracted = await ExtractAll("POST", "application/x-www-form-urlencoded", "model=llama&x={1}");

        Assert.Equal("llama", extracted.Name);
        Assert.Equal("application/x-www-form-urlencoded", extracted.ContentType);
    }

    [Fact]
    public async Task TextBody_NotJson_FallsBackToQuery()
        => Assert.Equal("from-query", await Extract("POST", "text/plain", "hello {model}", "?model=from-query"));

    [Fact]
    public async Task Multipart_ModelField_IsFound()
    {
        const string body = "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.wav\"\r\nContent-Type: audio/wav\r\n\r\nRIFF....\r\n"
            + "--XyZ\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\nwhisper\r\n--XyZ--\r\n";
        Assert.Equal("whisper", await Extract("POST", "multipart/form-data; boundary=XyZ", body));
    }

    [Fact]
    public async Task Multipart_StartingWithABrace_IsStillMultipart()
    {
        var extracted = await ExtractAll("POST", "multipart/form-data; boundary=XyZ", """{"model":"llama"}""", "?model=from-query");

        Assert.Equal("from-query", extracted.Name);
        Assert.Null(extracted.Problem);
        Assert.Equal("multipart/form-data; boundary=XyZ", extracted.ContentType);
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
