using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace LlamaSwap.Gateway.Anthropic;

/// <summary>
/// An OpenAI chat-completions event stream -> Anthropic's Messages event sequence: message_start,
/// then per content block content_block_start / content_block_delta... / content_block_stop, then
/// message_delta (stop reason, usage) and message_stop. Every event is flushed as it is written.
/// </summary>
/// <param name="output">Where the Anthropic events go (the client's response body).</param>
/// <param name="model">The model name the client asked for.</param>
internal sealed class AnthropicStreamTranslator(Stream output, string model)
{
    private readonly string _messageId = AnthropicJson.NewMessageId();
    private readonly Dictionary<int, int> _blockByToolCall = [];
    private bool _started;
    private int _blockCount;
    private int? _openBlock;
    private bool _openBlockIsText;
    private string? _finishReason;
    private AnthropicUsage? _usage;

    /// <summary>Translates until the upstream sends <c>[DONE]</c> or ends, then finishes the message.</summary>
    /// <returns>False when the upstream sent an error object instead of a chunk (already relayed as an error event).</returns>
    public async Task<bool> TranslateAsync(Stream upstream, CancellationToken cancellationToken)
    {
        await foreach (var data in OpenAiEventStreamReader.ReadDataAsync(upstream, cancellationToken))
        {
            if (data == "[DONE]")
            {
                break;
            }

            JsonObject? chunk;
            try
            {
                chunk = JsonNode.Parse(data) as JsonObject;
            }
            catch (JsonException)
            {
                // One malformed chunk should not cost the client the rest of the answer.
                continue;
            }

            if (chunk is null)
            {
                continue;
            }

            if (chunk["error"] is { } error)
            {
                var message = AnthropicJson.String((error as JsonObject)?["message"]) ?? AnthropicJson.String(error) ?? "upstream error";
                await WriteErrorAsync(message, cancellationToken);
                return false;
            }

            await TranslateChunkAsync(chunk, cancellationToken);
        }

        await FinishAsync(cancellationToken);
        return true;
    }

    /// <summary>An <c>error</c> event: how Anthropic reports a failure once the stream has started.</summary>
    public Task WriteErrorAsync(string message, CancellationToken cancellationToken)
        => WriteEventAsync("error", AnthropicError.Envelope(StatusCodes.Status500InternalServerError, message), cancellationToken);

    private async Task TranslateChunkAsync(JsonObject chunk, CancellationToken cancellationToken)
    {
        _usage = AnthropicUsage.FromOpenAi(chunk["usage"]) ?? _usage;
        await EnsureStartedAsync(cancellationToken);

        if (chunk["choices"] is not JsonArray { Count: > 0 } choices || choices[0] is not JsonObject choice)
        {
            return;
        }

        if (choice["delta"] is JsonObject delta)
        {
            if (AnthropicJson.String(delta["content"]) is { Length: > 0 } text)
            {
                await WriteTextAsync(text, cancellationToken);
            }

            if (delta["tool_calls"] is JsonArray toolCalls)
            {
                foreach (var call in toolCalls.OfType<JsonObject>())
                {
                    await WriteToolCallAsync(call, cancellationToken);
                }
            }
        }

        if (AnthropicJson.String(choice["finish_reason"]) is { } finishReason)
        {
            _finishReason = finishReason;
        }
    }

    private async Task EnsureStartedAsync(CancellationToken cancellationToken)
    {
        if (_started)
        {
            return;
        }

        _started = true;
        // Sent with the first chunk rather than before it, so input_tokens is right for servers
        // that report usage on every chunk; the others report it in message_delta.
        await WriteEventAsync("message_start", new JsonObject
        {
            ["type"] = "message_start",
            ["message"] = new JsonObject
            {
                ["id"] = _messageId,
                ["type"] = "message",
                ["role"] = "assistant",
                ["model"] = model,
                ["content"] = new JsonArray(),
                ["stop_reason"] = null,
                ["stop_sequence"] = null,
                ["usage"] = new JsonObject { ["input_tokens"] = _usage?.InputTokens ?? 0, ["output_tokens"] = 0 },
            },
        }, cancellationToken);
    }

    private async Task WriteTextAsync(string text, CancellationToken cancellationToken)
    {
        if (_openBlock is null || !_openBlockIsText)
        {
            await OpenBlockAsync(new JsonObject { ["type"] = "text", ["text"] = string.Empty }, isText: true, cancellationToken);
        }

        await WriteEventAsync("content_block_delta", new JsonObject
        {
            ["type"] = "content_block_delta",
            ["index"] = _openBlock,
            ["delta"] = new JsonObject { ["type"] = "text_delta", ["text"] = text },
        }, cancellationToken);
    }

    private async Task WriteToolCallAsync(JsonObject call, CancellationToken cancellationToken)
    {
        var toolIndex = AnthropicJson.Int(call["index"]) ?? 0;
        if (!_blockByToolCall.TryGetValue(toolIndex, out var block))
        {
            await OpenBlockAsync(new JsonObject
            {
                ["type"] = "tool_use",
                ["id"] = AnthropicJson.String(call["id"]) ?? "toolu_" + Guid.NewGuid().ToString("N")[..24],
                ["name"] = AnthropicJson.String(call["function"]?["name"]) ?? string.Empty,
                ["input"] = new JsonObject(),
            }, isText: false, cancellationToken);
            block = _openBlock!.Value;
            _blockByToolCall[toolIndex] = block;
        }

        if (AnthropicJson.String(call["function"]?["arguments"]) is { Length: > 0 } arguments)
        {
            await WriteEventAsync("content_block_delta", new JsonObject
            {
                ["type"] = "content_block_delta",
                ["index"] = block,
                ["delta"] = new JsonObject { ["type"] = "input_json_delta", ["partial_json"] = arguments },
            }, cancellationToken);
        }
    }

    private async Task OpenBlockAsync(JsonObject contentBlock, bool isText, CancellationToken cancellationToken)
    {
        await CloseBlockAsync(cancellationToken);
        _openBlock = _blockCount++;
        _openBlockIsText = isText;
        await WriteEventAsync("content_block_start", new JsonObject
        {
            ["type"] = "content_block_start",
            ["index"] = _openBlock,
            ["content_block"] = contentBlock,
        }, cancellationToken);
    }

    private async Task CloseBlockAsync(CancellationToken cancellationToken)
    {
        if (_openBlock is { } index)
        {
            _openBlock = null;
            await WriteEventAsync("content_block_stop", new JsonObject { ["type"] = "content_block_stop", ["index"] = index }, cancellationToken);
        }
    }

    private async Task FinishAsync(CancellationToken cancellationToken)
    {
        await EnsureStartedAsync(cancellationToken);
        if (_blockCount == 0)
        {
            // Clients expect at least one block; an upstream that produced nothing gets an empty text.
            await OpenBlockAsync(new JsonObject { ["type"] = "text", ["text"] = string.Empty }, isText: true, cancellationToken);
        }

        await CloseBlockAsync(cancellationToken);

        var usage = new JsonObject { ["output_tokens"] = _usage?.OutputTokens ?? 0 };
        if (_usage is { } known)
        {
            usage["input_tokens"] = known.InputTokens;
        }

        await WriteEventAsync("message_delta", new JsonObject
        {
            ["type"] = "message_delta",
            ["delta"] = new JsonObject { ["stop_reason"] = StopReasons.FromFinishReason(_finishReason), ["stop_sequence"] = null },
            ["usage"] = usage,
        }, cancellationToken);
        await WriteEventAsync("message_stop", new JsonObject { ["type"] = "message_stop" }, cancellationToken);
    }

    private async Task WriteEventAsync(string name, JsonObject data, CancellationToken cancellationToken)
    {
        var frame = Encoding.UTF8.GetBytes($"event: {name}\ndata: {AnthropicJson.Serialize(data)}\n\n");
        await output.WriteAsync(frame, cancellationToken);
        await output.FlushAsync(cancellationToken);
    }
}
