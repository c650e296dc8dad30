using System.Text.Json.Nodes;

namespace LlamaSwap.TestUpstream;

internal sealed partial class Responder
{
    private const int EmbeddingDimensions = 8;

    private JsonObject ModelList() => new()
    {
        ["object"] = "list",
        ["data"] = new JsonArray(new JsonObject
        {
            ["id"] = options.Model,
            ["object"] = "model",
            ["created"] = Created(),
            ["owned_by"] = "llamaswap-test",
        }),
    };

    private static JsonObject Usage(int promptTokens, int completionTokens) => new()
    {
        ["prompt_tokens"] = promptTokens,
        ["completion_tokens"] = completionTokens,
        ["total_tokens"] = promptTokens + completionTokens,
    };

    /// <summary>
    /// llama-server's <c>timings</c> with numbers tests can predict: 5 ms per prompt token (200 t/s),
    /// 20 ms per generated token (50 t/s), one cached token and no drafts.
    /// </summary>
    internal static JsonObject Timings(int promptTokens, int completionTokens) => new()
    {
        ["cache_n"] = 1,
        ["prompt_n"] = promptTokens,
        ["prompt_ms"] = 5.0 * promptTokens,
        ["prompt_per_token_ms"] = 5.0,
        ["prompt_per_second"] = 200.0,
        ["predicted_n"] = completionTokens,
        ["predicted_ms"] = 20.0 * completionTokens,
        ["predicted_per_token_ms"] = 20.0,
        ["predicted_per_second"] = 50.0,
    };

    private async Task ChatCompletionsAsync(HttpContext context, byte[] body, CancellationToken cancellationToken)
    {
        var request = ParseObject(body);
        if (request is null)
        {
            await BadRequestAsync(context, "request body must be a JSON object", cancellationToken);
            return;
        }

        var model = ModelOf(request);
        var promptTokens = TokenCount.AtLeastOne(TokenCount.WordsIn(request["messages"]));
        var completionTokens = TokenCount.AtLeastOne(TokenCount.Words(options.Respond));
        var id = NewId("chatcmpl-");
        var created = Created();

        if (!AsBool(request["stream"]))
        {
            var completion = new JsonObject
            {
                ["id"] = id,
                ["object"] = "chat.completion",
                ["created"] = created,
                ["model"] = model,
                ["choices"] = new JsonArray(new JsonObject
                {
                    ["index"] = 0,
                    ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = options.Respond },
                    ["finish_reason"] = "stop",
                }),
                ["usage"] = Usage(promptTokens, completionTokens),
            };
            if (options.Timings)
            {
                completion["timings"] = Timings(promptTokens, completionTokens);
            }

            await WriteJsonAsync(context, completion, cancellationToken);
            return;
        }

        JsonObject Chunk(JsonArray choices) => new()
        {
            ["id"] = id,
            ["object"] = "chat.completion.chunk",
            ["created"] = created,
            ["model"] = model,
            ["choices"] = choices,
        };

        await StartEventStreamAsync(context, cancellationToken);
        var pieces = Pieces();
        for (var i = 0; i < pieces.Length; i++)
        {
            await DelayBetweenChunksAsync(i, cancellationToken);
            var delta = i == 0
                ? new JsonObject { ["role"] = "assistant", ["content"] = pieces[i] }
                : new JsonObject { ["content"] = pieces[i] };
            var choice = new JsonObject
            {
                ["index"] = 0,
                ["delta"] = delta,
                ["finish_reason"] = i == pieces.Length - 1 ? "stop" : null,
            };
            await WriteEventAsync(context, null, Chunk(new JsonArray(choice)).ToJsonString(JsonLinesFile.Relaxed), cancellationToken);
        }

        // Always sent (not only with stream_options.include_usage): clients accept it and the
        // gateway's usage metrics need it.
        var usageChunk = Chunk([]);
        usageChunk["usage"] = Usage(promptTokens, completionTokens);
        if (options.Timings)
        {
            usageChunk["timings"] = Timings(promptTokens, completionTokens);
        }

        await WriteEventAsync(context, null, usageChunk.ToJsonString(JsonLinesFile.Relaxed), cancellationToken);
        await WriteEventAsync(context, null, "[DONE]", cancellationToken);
        WriteEvent("stream-end", new JsonObject { ["path"] = context.Request.Path.Value });
    }

    /// <summary><c>/v1/completions</c>, and llama.cpp's <c>/completion</c> and <c>/infill</c> (with its <c>content</c> field too).</summary>
    private async Task CompletionsAsync(HttpContext context, byte[] body, CancellationToken cancellationToken)
    {
        var request = ParseObject(body);
        if (request is null)
        {
            await BadRequestAsync(context, "request body must be a JSON object", cancellationToken);
            return;
        }

        var model = ModelOf(request);
        var promptTokens = TokenCount.AtLeastOne(
            TokenCount.WordsIn(request["prompt"]) + TokenCount.WordsIn(request["input_prefix"]) + TokenCount.WordsIn(request["input_suffix"]));
        var completionTokens = TokenCount.AtLeastOne(TokenCount.Words(options.Respond));
        var id = NewId("cmpl-");
        var created = Created();

        JsonObject Completion(string text, string? finishReason) => new()
        {
            ["id"] = id,
            ["object"] = "text_completion",
            ["created"] = created,
            ["model"] = model,
            ["content"] = text,
            ["choices"] = new JsonArray(new JsonObject
            {
                ["index"] = 0,
                ["text"] = text,
                ["logprobs"] = null,
                ["finish_reason"] = finishReason,
            }),
        };

        if (!AsBool(request["stream"]))
        {
            var completion = Completion(options.Respond, "stop");
            completion["usage"] = Usage(promptTokens, completionTokens);
            await WriteJsonAsync(context, completion, cancellationToken);
            return;
        }

        await StartEventStreamAsync(context, cancellationToken);
        var pieces = Pieces();
        for (var i = 0; i < pieces.Length; i++)
        {
            await DelayBetweenChunksAsync(i, cancellationToken);
            var chunk = Completion(pieces[i], i == pieces.Length - 1 ? "stop" : null);
            await WriteEventAsync(context, null, chunk.ToJsonString(JsonLinesFile.Relaxed), cancellationToken);
        }

        var usageChunk = new JsonObject
        {
            ["id"] = id,
            ["object"] = "text_completion",
            ["created"] = created,
            ["model"] = model,
            ["choices"] = new JsonArray(),
            ["usage"] = Usage(promptTokens, completionTokens),
        };
        await WriteEventAsync(context, null, usageChunk.ToJsonString(JsonLinesFile.Relaxed), cancellationToken);
        await WriteEventAsync(context, null, "[DONE]", cancellationToken);
        WriteEvent("stream-end", new JsonObject { ["path"] = context.Request.Path.Value });
    }

    private async Task EmbeddingsAsync(HttpContext context, byte[] body, CancellationToken cancellationToken)
    {
        var request = ParseObject(body);
        if (request is null || request["input"] is null)
        {
            await BadRequestAsync(context, "request body must be a JSON object with input", cancellationToken);
            return;
        }

        // A string or a token list is one input; a list of strings or of token lists is several.
        var input = request["input"]!;
        List<JsonNode?> inputs = input is JsonArray array && array.Count > 0 && array.All(e => e is JsonArray || AsString(e) is not null)
            ? [.. array]
            : [input];

        var data = new JsonArray();
        var promptTokens = 0;
        for (var i = 0; i < inputs.Count; i++)
        {
            var text = inputs[i]?.ToJsonString(JsonLinesFile.Relaxed) ?? "";
            promptTokens += TokenCount.AtLeastOne(TokenCount.WordsIn(inputs[i]));
            data.Add(new JsonObject { ["object"] = "embedding", ["index"] = i, ["embedding"] = Vector(text) });
        }

        await WriteJsonAsync(context, new JsonObject
        {
            ["object"] = "list",
            ["data"] = data,
            ["model"] = ModelOf(request),
            ["usage"] = new JsonObject { ["prompt_tokens"] = promptTokens, ["total_tokens"] = promptTokens },
        }, cancellationToken);
    }

    /// <summary>A deterministic unit vector derived from the text (FNV-1a seeded), so equal inputs embed equally.</summary>
    private static JsonArray Vector(string text)
    {
        var hash = 2166136261u;
        foreach (var c in text)
        {
            hash = (hash ^ c) * 16777619u;
        }

        var values = new double[EmbeddingDimensions];
        var random = new Random((int)hash);
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = (random.NextDouble() * 2) - 1;
        }

        var norm = Math.Sqrt(values.Sum(v => v * v));
        var vector = new JsonArray();
        foreach (var v in values)
        {
            vector.Add((float)(v / norm));
        }

        return vector;
    }

    private async Task TranscriptionsAsync(HttpContext context, CancellationToken cancellationToken)
    {
        if (!context.Request.HasFormContentType)
        {
            await BadRequestAsync(context, "multipart/form-data with a file is required", cancellationToken);
            return;
        }

        var form = await context.Request.ReadFormAsync(cancellationToken);
        var file = form.Files.GetFile("file") ?? form.Files.FirstOrDefault();
        if (file is null)
        {
            await BadRequestAsync(context, "file is required", cancellationToken);
            return;
        }

        var model = form["model"].ToString();
        await WriteJsonAsync(context, new JsonObject
        {
            ["text"] = $"The length of the file is {file.Length} bytes",
            ["model"] = model.Length > 0 ? model : options.Model,
        }, cancellationToken);
    }
}
