using System.Text.Json.Nodes;

namespace LlamaSwap.Gateway.Anthropic;

/// <summary>Anthropic Messages request -> OpenAI chat-completions request.</summary>
internal static class AnthropicRequestTranslator
{
    /// <exception cref="AnthropicRequestException">A field or content block with no chat-completions equivalent.</exception>
    public static JsonObject Translate(JsonObject request)
    {
        var messages = new JsonArray();
        if (SystemText(request["system"]) is { } system)
        {
            messages.Add(new JsonObject { ["role"] = "system", ["content"] = system });
        }

        if (request["messages"] is not JsonArray anthropicMessages)
        {
            throw new AnthropicRequestException("messages: expected an array");
        }

        for (var i = 0; i < anthropicMessages.Count; i++)
        {
            if (anthropicMessages[i] is not JsonObject message)
            {
                throw new AnthropicRequestException($"messages.{i}: expected an object");
            }

            AddMessage(messages, message, $"messages.{i}");
        }

        var chat = new JsonObject();
        CopyIfPresent(request, "model", chat, "model");
        chat["messages"] = messages;
        CopyIfPresent(request, "max_tokens", chat, "max_tokens");
        CopyIfPresent(request, "temperature", chat, "temperature");
        CopyIfPresent(request, "top_p", chat, "top_p");
        // Not OpenAI, but llama-server and vLLM both accept it on chat completions.
        CopyIfPresent(request, "top_k", chat, "top_k");
        CopyIfPresent(request, "stop_sequences", chat, "stop");
        if (AnthropicJson.String(request["metadata"]?["user_id"]) is { } user)
        {
            chat["user"] = user;
        }

        if (request["tools"] is JsonArray tools && tools.Count > 0)
        {
            chat["tools"] = TranslateTools(tools);
        }

        AddToolChoice(request["tool_choice"], chat);

        if (request["stream"] is JsonValue streamValue && streamValue.TryGetValue<bool>(out var stream) && stream)
        {
            chat["stream"] = true;
            // Without it OpenAI-compatible servers may omit usage from streams, and message_delta needs it.
            chat["stream_options"] = new JsonObject { ["include_usage"] = true };
        }

        return chat;
    }

    private static string? SystemText(JsonNode? system)
    {
        switch (system)
        {
            case null:
                return null;
            case JsonValue when AnthropicJson.String(system) is { } text:
                return text.Length == 0 ? null : text;
            case JsonArray blocks:
                var texts = new List<string>();
                for (var i = 0; i < blocks.Count; i++)
                {
                    var type = AnthropicJson.String(blocks[i]?["type"]);
                    if (type != "text")
                    {
                        throw Unsupported($"system.{i}", type);
                    }

                    texts.Add(AnthropicJson.String(blocks[i]!["text"]) ?? string.Empty);
                }

                return texts.Count == 0 ? null : string.Join("\n\n", texts);
            default:
                throw new AnthropicRequestException("system: expected a string or an array of text blocks");
        }
    }

    private static void AddMessage(JsonArray messages, JsonObject message, string path)
    {
        var role = AnthropicJson.String(message["role"]);
        if (role is not ("user" or "assistant"))
        {
            throw new AnthropicRequestException($"{path}.role: expected \"user\" or \"assistant\", got \"{role}\"");
        }

        var content = message["content"];
        if (AnthropicJson.String(content) is { } text)
        {
            messages.Add(new JsonObject { ["role"] = role, ["content"] = text });
            return;
        }

        if (content is not JsonArray blocks)
        {
            throw new AnthropicRequestException($"{path}.content: expected a string or an array of content blocks");
        }

        if (role == "user")
        {
            AddUserBlocks(messages, blocks, path);
        }
        else
        {
            AddAssistantBlocks(messages, blocks, path);
        }
    }

    private static void AddUserBlocks(JsonArray messages, JsonArray blocks, string path)
    {
        var parts = new JsonArray();
        for (var i = 0; i < blocks.Count; i++)
        {
            var block = blocks[i] as JsonObject;
            var type = AnthropicJson.String(block?["type"]);
            var blockPath = $"{path}.content.{i}";
            switch (type)
            {
                case "text":
                    parts.Add(new JsonObject { ["type"] = "text", ["text"] = AnthropicJson.String(block!["text"]) ?? string.Empty });
                    break;
                case "image":
                    parts.Add(new JsonObject { ["type"] = "image_url", ["image_url"] = new JsonObject { ["url"] = ImageUrl(block!, blockPath) } });
                    break;
                case "tool_result":
                    // Tool results must directly follow the assistant's tool calls in OpenAI's format,
                    // so they go before any text the user sent alongside them.
                    messages.Add(new JsonObject
                    {
                        ["role"] = "tool",
                        ["tool_call_id"] = AnthropicJson.String(block!["tool_use_id"]) ?? string.Empty,
                        ["content"] = ToolResultText(block["content"], blockPath),
                    });
                    break;
                default:
                    throw Unsupported(blockPath, type);
            }
        }

        if (parts.Count == 0)
        {
            return;
        }

        // A lone text part stays a plain string: the form every OpenAI-compatible server accepts.
        var content = parts.Count == 1 && AnthropicJson.String(parts[0]!["type"]) == "text"
            ? JsonValue.Create(AnthropicJson.String(parts[0]!["text"]))
            : (JsonNode)parts;
        messages.Add(new JsonObject { ["role"] = "user", ["content"] = content });
    }

    private static void AddAssistantBlocks(JsonArray messages, JsonArray blocks, string path)
    {
        var texts = new List<string>();
        var toolCalls = new JsonArray();
        for (var i = 0; i < blocks.Count; i++)
        {
            var block = blocks[i] as JsonObject;
            var type = AnthropicJson.String(block?["type"]);
            switch (type)
            {
                case "text":
                    texts.Add(AnthropicJson.String(block!["text"]) ?? string.Empty);
                    break;
                case "tool_use":
                    toolCalls.Add(new JsonObject
                    {
                        ["id"] = AnthropicJson.String(block!["id"]) ?? string.Empty,
                        ["type"] = "function",
                        ["function"] = new JsonObject
                        {
                            ["name"] = AnthropicJson.String(block["name"]) ?? string.Empty,
                            ["arguments"] = block["input"] is { } input ? AnthropicJson.Serialize(input) : "{}",
                        },
                    });
                    break;
                case "thinking" or "redacted_thinking":
                    // Earlier reasoning has no place in a chat-completions history; servers re-derive it.
                    break;
                default:
                    throw Unsupported($"{path}.content.{i}", type);
            }
        }

        var message = new JsonObject
        {
            ["role"] = "assistant",
            ["content"] = texts.Count == 0 ? null : string.Join(string.Empty, texts),
        };
        if (toolCalls.Count > 0)
        {
            message["tool_calls"] = toolCalls;
        }

        messages.Add(message);
    }

    private static string ToolResultText(JsonNode? content, string path)
    {
        if (content is null)
        {
            return string.Empty;
        }

        if (AnthropicJson.String(content) is { } text)
        {
            return text;
        }

        if (content is not JsonArray blocks)
        {
            throw new AnthropicRequestException($"{path}.content: expected a string or an array of text blocks");
        }

        var texts = new List<string>();
        for (var i = 0; i < blocks.Count; i++)
        {
            var type = AnthropicJson.String(blocks[i]?["type"]);
            if (type != "text")
            {
                throw Unsupported($"{path}.content.{i}", type);
            }

            texts.Add(AnthropicJson.String(blocks[i]!["text"]) ?? string.Empty);
        }

        return string.Join("\n", texts);
    }

    private static string ImageUrl(JsonObject block, string path)
    {
        var source = block["source"];
        return AnthropicJson.String(source?["type"]) switch
        {
            "base64" => $"data:{AnthropicJson.String(source!["media_type"])};base64,{AnthropicJson.String(source["data"])}",
            "url" => AnthropicJson.String(source!["url"]) ?? string.Empty,
            var other => throw new AnthropicRequestException(
                $"{path}.source: image source type \"{other}\" is not supported for an OpenAI-only model"),
        };
    }

    private static JsonArray TranslateTools(JsonArray tools)
    {
        var functions = new JsonArray();
        for (var i = 0; i < tools.Count; i++)
        {
            var tool = tools[i] as JsonObject;
            var type = AnthropicJson.String(tool?["type"]);
            // Anthropic's server tools (web_search_..., bash_...) carry a type and no schema: nothing to call.
            if (tool is null || (type is not null && type != "custom") || tool["input_schema"] is null)
            {
                throw new AnthropicRequestException(
                    $"tools.{i}: tool type \"{type ?? "(none)"}\" is not supported for an OpenAI-only model; only custom tools with an input_schema are");
            }

            var function = new JsonObject { ["name"] = AnthropicJson.String(tool["name"]) ?? string.Empty };
            if (AnthropicJson.String(tool["description"]) is { } description)
            {
                function["description"] = description;
            }

            function["parameters"] = tool["input_schema"]!.DeepClone();
            functions.Add(new JsonObject { ["type"] = "function", ["function"] = function });
        }

        return functions;
    }

    private static void AddToolChoice(JsonNode? toolChoice, JsonObject chat)
    {
        if (toolChoice is not JsonObject choice)
        {
            return;
        }

        chat["tool_choice"] = AnthropicJson.String(choice["type"]) switch
        {
            "auto" => "auto",
            "any" => "required",
            "none" => "none",
            "tool" => new JsonObject
            {
                ["type"] = "function",
                ["function"] = new JsonObject { ["name"] = AnthropicJson.String(choice["name"]) ?? string.Empty },
            },
            var other => throw new AnthropicRequestException($"tool_choice: type \"{other}\" is not supported"),
        };

        if (choice["disable_parallel_tool_use"] is JsonValue disable && disable.TryGetValue<bool>(out var disabled) && disabled)
        {
            chat["parallel_tool_calls"] = false;
        }
    }

    private static void CopyIfPresent(JsonObject from, string fromKey, JsonObject to, string toKey)
    {
        if (from[fromKey] is { } value)
        {
            to[toKey] = value.DeepClone();
        }
    }

    private static AnthropicRequestException Unsupported(string path, string? type)
        => new($"{path}: content block type \"{type ?? "(none)"}\" is not supported for an OpenAI-only model");
}
