using System.IO.Compression;
using System.Text;
using LlamaSwap.Gateway.Activity;

namespace LlamaSwap.Tests.Gateway.Activity;

public sealed class UsageParserTests
{
    private const string Json = "application/json";
    private const string Sse = "text/event-stream";

    private static UsageResult Parse(string body, string contentType = Json, int status = 200, double wallMs = 100, string? encoding = null)
        => UsageParser.Parse(Encoding.UTF8.GetBytes(body), contentType, encoding, status, wallMs);

    [Fact]
    public void OpenAi_NonStreaming_PromptAndCompletionTokens()
    {
        var result = Parse("""{"choices":[],"usage":{"prompt_tokens":25,"completion_tokens":10,"total_tokens":35,"prompt_tokens_details":{"cached_tokens":7}}}""");

        Assert.Equal(25, result.Tokens.InputTokens);
        Assert.Equal(10, result.Tokens.OutputTokens);
        Assert.Equal(7, result.Tokens.CacheTokens);
        Assert.Equal(-1, result.Tokens.PromptPerSecond);
        Assert.Equal(100, result.Tokens.TokensPerSecond, 6);
        Assert.Equal(100, result.DurationMs);
        Assert.Null(result.ErrorMessage);
    }

    [Fact]
    public void OpenAi_Streaming_UsageFromTheLastChunkAndDoneIgnored()
    {
        var body = "data: {\"choices\":[{\"delta\":{\"content\":\"hi\"}}]}\n\n"
                   + "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":2}}\n\n"
                   + "data: [DONE]\n\n";

        var result = Parse(body, Sse);

        Assert.Equal(3, result.Tokens.InputTokens);
        Assert.Equal(2, result.Tokens.OutputTokens);
    }

    [Fact]
    public void Sse_CrLfLinesAndNoContentType_StillScanned()
    {
        var result = Parse("data:{\"usage\":{\"prompt_tokens\":4,\"completion_tokens\":1}}\r\n\r\ndata: [DONE]\r\n\r\n", contentType: "");

        Assert.Equal(4, result.Tokens.InputTokens);
        Assert.Equal(1, result.Tokens.OutputTokens);
    }

    [Fact]
    public void Anthropic_NonStreaming_InputOutputAndCacheRead()
    {
        var result = Parse("""{"type":"message","usage":{"input_tokens":12,"output_tokens":6,"cache_read_input_tokens":4}}""");

        Assert.Equal(12, result.Tokens.InputTokens);
        Assert.Equal(6, result.Tokens.OutputTokens);
        Assert.Equal(4, result.Tokens.CacheTokens);
    }

    [Fact]
    public void Anthropic_Stream_MessageStartInputAndMessageDeltaOutput()
    {
        var body = """
            event: message_start
            data: {"type":"message_start","message":{"id":"msg_1","usage":{"input_tokens":25,"output_tokens":1}}}

            event: content_block_delta
            data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"hello"}}

            event: message_delta
            data: {"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":10}}

            event: message_stop
            data: {"type":"message_stop"}

            """;

        var result = Parse(body, Sse);

        Assert.Equal(25, result.Tokens.InputTokens);
        Assert.Equal(10, result.Tokens.OutputTokens);
    }

    [Fact]
    public void Responses_StreamCompletedEvent_ResponseUsageWithCachedTokens()
    {
        var body = "event: response.output_text.delta\ndata: {\"type\":\"response.output_text.delta\",\"delta\":\"x\"}\n\n"
                   + "event: response.completed\ndata: {\"type\":\"response.completed\",\"response\":{\"usage\":{\"input_tokens\":30,\"output_tokens\":8,\"input_tokens_details\":{\"cached_tokens\":16}}}}\n\n";

        var result = Parse(body, Sse);

        Assert.Equal(30, result.Tokens.InputTokens);
        Assert.Equal(8, result.Tokens.OutputTokens);
        Assert.Equal(16, result.Tokens.CacheTokens);
    }

    [Fact]
    public void LlamaCppTimings_OverrideUsageAndLengthenDuration()
    {
        var result = Parse("""
            {"usage":{"prompt_tokens":99,"completion_tokens":99},
             "timings":{"cache_n":3,"prompt_n":20,"prompt_ms":40,"prompt_per_second":500,"predicted_n":10,"predicted_ms":200,
                        "predicted_per_second":50,"draft_n":6,"draft_n_accepted":4}}
            """, wallMs: 100);

        Assert.Equal(20, result.Tokens.InputTokens);
        Assert.Equal(10, result.Tokens.OutputTokens);
        Assert.Equal(3, result.Tokens.CacheTokens);
        Assert.Equal(500, result.Tokens.PromptPerSecond);
        Assert.Equal(50, result.Tokens.TokensPerSecond);
        Assert.Equal(6, result.Tokens.DraftTokens);
        Assert.Equal(4, result.Tokens.DraftAcceptedTokens);
        Assert.Equal(240, result.DurationMs);
    }

    [Fact]
    public void LlamaCppTimings_WallTimeLonger_WallTimeKept()
        => Assert.Equal(1000, Parse("""{"timings":{"prompt_n":1,"prompt_ms":5,"predicted_n":1,"predicted_ms":5}}""", wallMs: 1000).DurationMs);

    [Fact]
    public void LlamaCppTimings_InLastSseChunk()
    {
        var body = "data: {\"content\":\"a\"}\n\ndata: {\"content\":\"\",\"stop\":true,\"timings\":{\"prompt_n\":7,\"predicted_n\":3,\"predicted_per_second\":12.5}}\n\n";

        var result = Parse(body, Sse);

        Assert.Equal(7, result.Tokens.InputTokens);
        Assert.Equal(3, result.Tokens.OutputTokens);
        Assert.Equal(12.5, result.Tokens.TokensPerSecond);
    }

    [Fact]
    public void Infill_Array_TimingsOfTheLastElement()
    {
        var result = Parse("""[{"content":"a","timings":{"prompt_n":1,"predicted_n":1}},{"content":"b","timings":{"prompt_n":9,"predicted_n":4}}]""");

        Assert.Equal(9, result.Tokens.InputTokens);
        Assert.Equal(4, result.Tokens.OutputTokens);
    }

    [Fact]
    public void Vllm_Metrics_PromptRateFromTtftAndGenRateFromItl()
    {
        var result = Parse("""
            {"usage":{"prompt_tokens":100,"completion_tokens":20},
             "metrics":{"time_to_first_token_ms":50,"mean_itl_ms":20,
                        "speculative_decoding":{"num_spec_steps":3,"num_draft_tokens":8,"num_accepted_draft_tokens":5,"num_rejected_draft_tokens":3}}}
            """);

        Assert.Equal(2000, result.Tokens.PromptPerSecond, 6);
        Assert.Equal(50, result.Tokens.TokensPerSecond, 6);
        Assert.Equal(8, result.Tokens.DraftTokens);
        Assert.Equal(5, result.Tokens.DraftAcceptedTokens);
    }

    [Fact]
    public void Vllm_SpeculativeDecoding_OlderAcceptedName_StillRead()
    {
        var result = Parse("""
            {"usage":{"prompt_tokens":10,"completion_tokens":2},
             "metrics":{"speculative_decoding":{"num_draft_tokens":4,"num_accepted_tokens":1}}}
            """);

        Assert.Equal(4, result.Tokens.DraftTokens);
        Assert.Equal(1, result.Tokens.DraftAcceptedTokens);
    }

    [Theory]
    [InlineData("gzip")]
    [InlineData("deflate")]
    [InlineData("br")]
    public void Compressed_Json_Decoded(string encoding)
    {
        var compressed = Compress(Encoding.UTF8.GetBytes("""{"usage":{"prompt_tokens":5,"completion_tokens":6}}"""), encoding);

        var result = UsageParser.Parse(compressed, Json, encoding, 200, 10);

        Assert.Equal(5, result.Tokens.InputTokens);
        Assert.Equal(6, result.Tokens.OutputTokens);
    }

    [Fact]
    public void Compressed_Sse_Decoded()
    {
        var compressed = Compress(Encoding.UTF8.GetBytes("data: {\"usage\":{\"input_tokens\":2,\"output_tokens\":3}}\n\ndata: [DONE]\n\n"), "gzip");

        var result = UsageParser.Parse(compressed, Sse, "gzip", 200, 10);

        Assert.Equal(2, result.Tokens.InputTokens);
        Assert.Equal(3, result.Tokens.OutputTokens);
    }

    [Fact]
    public void Compressed_Corrupt_UnknownNotThrown()
    {
        var result = UsageParser.Parse(new byte[] { 0x1f, 0x8b, 1, 2, 3 }, Json, "gzip", 200, 10);

        Assert.Equal(-1, result.Tokens.InputTokens);
    }

    [Fact]
    public void TruncatedSse_StartsMidLine_LaterUsageFound()
    {
        var tail = "_tokens\":1}}\n\ndata: {\"usage\":{\"prompt_tokens\":8,\"completion_tokens\":9}}\n\n";

        var result = UsageParser.ParseDecoded(Encoding.UTF8.GetBytes(tail), Sse, 200, 10, truncated: true);

        Assert.Equal(8, result.Tokens.InputTokens);
        Assert.Equal(9, result.Tokens.OutputTokens);
    }

    [Fact]
    public void NoUsage_AllUnknown()
    {
        var result = Parse("""{"choices":[]}""");

        Assert.Equal(ActivityTokens.Unknown, result.Tokens);
    }

    [Theory]
    [InlineData("""{"error":{"message":"model exploded","type":"server_error"}}""", "model exploded")]
    [InlineData("""{"error":"plain error"}""", "plain error")]
    [InlineData("""{"message":"top message"}""", "top message")]
    [InlineData("""{"detail":"fastapi detail"}""", "fastapi detail")]
    [InlineData("", "503 Service Unavailable")]
    public void Non200_ErrorMessage(string body, string expected)
    {
        var result = Parse(body, status: 503);

        Assert.Equal(expected, result.ErrorMessage);
        Assert.Equal(-1, result.Tokens.InputTokens);
    }

    [Fact]
    public void Non200_LongMessage_CutTo500()
        => Assert.Equal(500, Parse("{\"error\":{\"message\":\"" + new string('x', 900) + "\"}}", status: 400).ErrorMessage!.Length);

    private static byte[] Compress(byte[] data, string encoding)
    {
        using var output = new MemoryStream();
        using (Stream compressor = encoding switch
        {
            "gzip" => new GZipStream(output, CompressionLevel.Fastest),
            "deflate" => new ZLibStream(output, CompressionLevel.Fastest),
            _ => new BrotliStream(output, CompressionLevel.Fastest),
        })
        {
            compressor.Write(data);
        }

        return output.ToArray();
    }
}
