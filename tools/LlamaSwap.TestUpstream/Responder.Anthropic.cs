using System.Text.Json.Nodes;

namespace LlamaSwap.TestUpstream;

internal sealed partial class Responder
{
    /// <summary>Anthropic Messages API (<c>POST /v1/messages</c>), plain and streamed.</summary>
    private async Task MessagesAsync(HttpContext context, byte[] body, CancellationToken cancellationToken)
    {
        var request = ParseObject(body);
        if (request is null)
        {
            await BadRequestAsync(context, "request body must be a JSON object", cancellationToken);
            return;
        }

        var model = ModelOf(request);
        var inputTokens = TokenCount.AtLeastOne(TokenCount.WordsIn(request["system"]) + TokenCount.WordsIn(request["messages"]));
        var outputTokens = TokenCount.AtLeastOne(TokenCount.Words(options.Respond));
        var id = NewId("msg_");

        if (!AsBool(request["stream"]))
        {
            await WriteJsonAsync(context, new JsonObject
            {
                ["id"] = id,
                ["type"] = "message",
                ["role"] = "assistant",
                ["content"] = new JsonArray(new JsonObject { ["type"] = "text", ["text"] = options.Respond }),
                ["model"] = model,
                ["stop_reason"] = "end_turn",
                ["stop_sequence"] = null,
                ["usage"] = new JsonObject { ["input_tokens"] = inputTokens, ["output_tokens"] = outputTokens },
            }, cancellationToken);
            return;
        }

        await StartEventStreamAsync(context, cancellationToken);
        await SendAsync("message_start", new JsonObject
        {
            ["type"] = "message_start",
            ["message"] = new JsonObject
            {
                ["id"] = id,
                ["type"] = "message",
                ["role"] = "assistant",
                ["content"] = new JsonArray(),
                ["model"] = model,
                ["stop_reason"] = null,
                ["stop_sequence"] = null,
                ["usage"] = new JsonObject { ["input_tokens"] = inputTokens, ["output_tokens"] = 0 },
            },
        });
        await SendAsync("content_block_start", new JsonObject
        {
            ["type"] = "content_block_start",
            ["index"] = 0,
            ["content_block"] = new JsonObject { ["type"] = "text", ["text"] = "" },
        });

        var pieces = Pieces();
        for (var i = 0; i < pieces.Length; i++)
        {
            await DelayBetweenChunksAsync(i, cancellationToken);
            await SendAsync("content_block_delta", new JsonObject
            {
                ["type"] = "content_block_delta",
                ["index"] = 0,
                ["delta"] = new JsonObject { ["type"] = "text_delta", ["text"] = pieces[i] },
            });
        }

        await SendAsync("content_block_stop", new JsonObject { ["type"] = "content_block_stop", ["index"] = 0 });
        await SendAsync("message_delta", new JsonObject
        {
            ["type"] = "message_delta",
            ["delta"] = new JsonObject { ["stop_reason"] = "end_turn", ["stop_sequence"] = null },
            ["usage"] = new JsonObject { ["output_tokens"] = outputTokens },
        });
        await SendAsync("message_stop", new JsonObject { ["type"] = "message_stop" });
        WriteEvent("stream-end", new JsonObject { ["path"] = context.Request.Path.Value });

        Task SendAsync(string eventName, JsonObject data) => WriteEventAsync(context, eventName, data.ToJsonString(JsonLinesFile.Relaxed), cancellationToken);
    }
}
