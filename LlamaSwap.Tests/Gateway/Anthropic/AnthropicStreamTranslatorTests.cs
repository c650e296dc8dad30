using System.IO.Pipelines;
using System.Text;
using System.Text.Json.Nodes;
using LlamaSwap.Gateway.Anthropic;
using LlamaSwap.Tests.Infrastructure;

namespace LlamaSwap.Tests.Gateway.Anthropic;

public sealed class AnthropicStreamTranslatorTests
{
    private const string TextStream = """
        data: {"id":"c1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"role":"assistant","content":"hel"},"finish_reason":null}]}

        data: {"id":"c1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"lo "},"finish_reason":null}]}

        data: {"id":"c1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"world"},"finish_reason":"length"}]}

        data: {"id":"c1","object":"chat.completion.chunk","choices":[],"usage":{"prompt_tokens":12,"completion_tokens":3,"total_tokens":15}}

        data: [DONE]


        """;

    private static async Task<List<(string Event, JsonObject Data)>> TranslateAsync(string openAiStream)
    {
        var output = new MemoryStream();
        await new AnthropicStreamTranslator(output, "requested").TranslateAsync(new MemoryStream(Encoding.UTF8.GetBytes(openAiStream)), CancellationToken.None);
        return Parse(Encoding.UTF8.GetString(output.ToArray()));
    }

    private static List<(string Event, JsonObject Data)> Parse(string sse)
    {
        var events = new List<(string, JsonObject)>();
        foreach (var frame in sse.Split("\n\n", StringSplitOptions.RemoveEmptyEntries))
        {
            var lines = frame.Split('\n');
            Assert.StartsWith("event: ", lines[0], StringComparison.Ordinal);
            Assert.StartsWith("data: ", lines[1], StringComparison.Ordinal);
            var data = JsonNode.Parse(lines[1]["data: ".Length..])!.AsObject();
            // Anthropic repeats the event name as the data's type; SDKs dispatch on either.
            Assert.Equal(lines[0]["event: ".Length..], (string?)data["type"]);
            events.Add((lines[0]["event: ".Length..], data));
        }

        return events;
    }

    [Fact]
    public async Task Translate_TextStream_ProducesAnthropicEventSequence()
    {
        var events = await TranslateAsync(TextStream);

        Assert.Equal(
            ["message_start", "content_block_start", "content_block_delta", "content_block_delta", "content_block_delta",
             "content_block_stop", "message_delta", "message_stop"],
            events.Select(e => e.Event));

        var start = events[0].Data["message"]!;
        Assert.StartsWith("msg_", (string?)start["id"], StringComparison.Ordinal);
        Assert.Equal("requested", (string?)start["model"]);
        Assert.Equal("""{"type":"text","text":""}""", events[1].Data["content_block"]!.ToJsonString());
        Assert.Equal(0, (int?)events[1].Data["index"]);
        Assert.Equal(
            ["hel", "lo ", "world"],
            events.Where(e => e.Event == "content_block_delta").Select(e => (string?)e.Data["delta"]!["text"]));
        Assert.All(events.Where(e => e.Event == "content_block_delta"), e => Assert.Equal("text_delta", (string?)e.Data["delta"]!["type"]));

        var delta = events[6].Data;
        Assert.Equal("max_tokens", (string?)delta["delta"]!["stop_reason"]);
        Assert.Equal(3, (int?)delta["usage"]!["output_tokens"]);
        Assert.Equal(12, (int?)delta["usage"]!["input_tokens"]);
    }

    [Fact]
    public async Task Translate_UsageOnFirstChunk_ReportedInMessageStart()
    {
        var events = await TranslateAsync("""
            data: {"choices":[{"index":0,"delta":{"content":"x"},"finish_reason":"stop"}],"usage":{"prompt_tokens":5,"completion_tokens":1}}

            data: [DONE]


            """);

        Assert.Equal(5, (int?)events[0].Data["message"]!["usage"]!["input_tokens"]);
        Assert.Equal("end_turn", (string?)events.Single(e => e.Event == "message_delta").Data["delta"]!["stop_reason"]);
    }

    [Fact]
    public async Task Translate_ToolCallStream_ProducesToolUseBlockWithInputJsonDeltas()
    {
        var events = await TranslateAsync("""
            data: {"choices":[{"index":0,"delta":{"content":"let me check"},"finish_reason":null}]}

            data: {"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_1","type":"function","function":{"name":"weather","arguments":""}}]},"finish_reason":null}]}

            data: {"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\"city\":"}}]},"finish_reason":null}]}

            data: {"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"\"Paris\"}"}}]},"finish_reason":"tool_calls"}]}

            data: [DONE]


            """);

        Assert.Equal(
            ["message_start", "content_block_start", "content_block_delta", "content_block_stop",
             "content_block_start", "content_block_delta", "content_block_delta", "content_block_stop", "message_delta", "message_stop"],
            events.Select(e => e.Event));
        Assert.Equal("""{"type":"tool_use","id":"call_1","name":"weather","input":{}}""", events[4].Data["content_block"]!.ToJsonString());
        Assert.Equal(1, (int?)events[4].Data["index"]);
        Assert.Equal(
            """{"city":"Paris"}""",
            string.Concat(events.Where(e => (string?)e.Data["delta"]?["type"] == "input_json_delta").Select(e => (string?)e.Data["delta"]!["partial_json"])));
        Assert.Equal("tool_use", (string?)events[8].Data["delta"]!["stop_reason"]);
    }

    [Fact]
    public async Task Translate_EmptyUpstreamStream_StillSendsOneEmptyTextBlock()
    {
        var events = await TranslateAsync("data: [DONE]\n\n");

        Assert.Equal(
            ["message_start", "content_block_start", "content_block_stop", "message_delta", "message_stop"],
            events.Select(e => e.Event));
        Assert.Equal(0, (int?)events[3].Data["usage"]!["output_tokens"]);
    }

    [Fact]
    public async Task Translate_ErrorChunk_RelayedAsErrorEvent()
    {
        var output = new MemoryStream();
        var translator = new AnthropicStreamTranslator(output, "m");

        var completed = await translator.TranslateAsync(
            new MemoryStream(Encoding.UTF8.GetBytes("data: {\"error\":{\"message\":\"context size exceeded\"}}\n\n")), CancellationToken.None);

        Assert.False(completed);
        var error = Parse(Encoding.UTF8.GetString(output.ToArray())).Last();
        Assert.Equal("error", error.Event);
        Assert.Equal("context size exceeded", (string?)error.Data["error"]!["message"]);
    }

    [Fact]
    public async Task Translate_EachChunk_WrittenBeforeTheNextOneArrives()
    {
        var upstream = new Pipe();
        var output = new MemoryStream();
        var snapshot = new Func<string>(() =>
        {
            lock (output)
            {
                return Encoding.UTF8.GetString(output.ToArray());
            }
        });
        var translation = new AnthropicStreamTranslator(new LockedStream(output), "m").TranslateAsync(upstream.Reader.AsStream(), CancellationToken.None);

        await upstream.Writer.WriteAsync(Encoding.UTF8.GetBytes("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"first\"}}]}\n\n"));
        await Eventually.TrueAsync(() => snapshot().Contains("\"first\"", StringComparison.Ordinal), "the first delta was written");
        Assert.False(translation.IsCompleted);

        await upstream.Writer.WriteAsync(Encoding.UTF8.GetBytes("data: [DONE]\n\n"));
        await upstream.Writer.CompleteAsync();
        Assert.True(await translation);
        Assert.EndsWith("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n", snapshot(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Translate_Cancelled_StopsReadingTheUpstream()
    {
        var upstream = new Pipe();
        using var cancellation = new CancellationTokenSource();
        var translation = new AnthropicStreamTranslator(new MemoryStream(), "m").TranslateAsync(upstream.Reader.AsStream(), cancellation.Token);

        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => translation);
    }

    /// <summary>Lets the test read what was written so far while the translator is still writing.</summary>
    private sealed class LockedStream(MemoryStream inner) : Stream
    {
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count)
        {
            lock (inner)
            {
                inner.Write(buffer, offset, count);
            }
        }
    }
}
