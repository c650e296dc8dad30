using System.Text;
using LlamaSwap.Gateway.Pipeline.Extraction;
using LlamaSwap.Gateway.Routing;

namespace LlamaSwap.Tests.Gateway.Routing;

public sealed class ModelNameRewriterTests
{
    [Fact]
    public async Task Json_ReplacesOnlyTheModelValue_KeepingEveryOtherByte()
    {
        const string original = "{ \"messages\" : [ {\"role\":\"user\",\"content\":\"caf\\u00e9 \\\"q\\\"\"} ],\n  \"model\":\"alias\" , \"x\": 1.50e2 }";
        var result = await ModelNameRewriter.RewriteAsync("application/json", Encoding.UTF8.GetBytes(original), "Qwen/Qwen3-8B");

        Assert.NotNull(result);
        Assert.Equal(original.Replace("\"alias\"", "\"Qwen/Qwen3-8B\""), Encoding.UTF8.GetString(result.Value.Body));
        Assert.Equal("application/json", result.Value.ContentType);
    }

    [Fact]
    public async Task Json_EscapesTheNewValue()
    {
        var result = await ModelNameRewriter.RewriteAsync("application/json", """{"model":"a"}"""u8.ToArray(), "with \"quote\"");
        Assert.Equal("""{"model":"with \"quote\""}""", Encoding.UTF8.GetString(result!.Value.Body));
    }

    [Fact]
    public async Task Multipart_RebuildsFormWithNewModelAndBoundary()
    {
        const string body = "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.bin\"\r\nContent-Type: application/octet-stream\r\n\r\n\u0001\u0002binary\r\n"
            + "--XyZ\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\nalias\r\n--XyZ--\r\n";
        var result = await ModelNameRewriter.RewriteAsync("multipart/form-data; boundary=XyZ", Encoding.UTF8.GetBytes(body), "real-model");

        Assert.NotNull(result);
        Assert.StartsWith("multipart/form-data; boundary=", result.Value.ContentType);
        Assert.DoesNotContain("XyZ", result.Value.ContentType);
        Assert.Equal("real-model", await MultipartForm.FindModelAsync(result.Value.Body, result.Value.ContentType));
        var text = Encoding.UTF8.GetString(result.Value.Body);
        Assert.Contains("\r\n\r\n\u0001\u0002binary\r\n", text);
        Assert.Contains("filename=\"a.bin\"", text);
    }

    [Theory]
    [InlineData("application/x-www-form-urlencoded", "model=a")]
    [InlineData(null, "{\"model\":\"a\"}")]
    public async Task OtherBodies_AreNeverRewritten(string? contentType, string body)
        => Assert.Null(await ModelNameRewriter.RewriteAsync(contentType, Encoding.UTF8.GetBytes(body), "x"));
}
