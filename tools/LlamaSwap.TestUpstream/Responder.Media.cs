using System.Text.Json.Nodes;

namespace LlamaSwap.TestUpstream;

/// <summary>
/// Rerank, image generation and speech with deterministic, cheap answers (no ML): enough for the
/// playground and the gateway to be tested against each route's real shape.
/// </summary>
internal sealed partial class Responder
{
    /// <summary>
    /// llama-server's rerank answer (Jina/Cohere shape): each document scored by the share of the
    /// query's words it contains, best first, cut to <c>top_n</c>.
    /// </summary>
    private async Task RerankAsync(HttpContext context, byte[] body, CancellationToken cancellationToken)
    {
        var request = ParseObject(body);
        var query = AsString(request?["query"]);
        if (request?["documents"] is not JsonArray documents || query is null)
        {
            await BadRequestAsync(context, "request body must be a JSON object with query and documents", cancellationToken);
            return;
        }

        var queryWords = WordSet(query);
        var scored = documents
            .Select((document, index) => (Index: index, Text: AsString(document) ?? AsString(document?["text"]) ?? "", Score: 0.0))
            .Select(d => d with { Score = queryWords.Count == 0 ? 0 : (double)WordSet(d.Text).Count(queryWords.Contains) / queryWords.Count })
            .OrderByDescending(d => d.Score)
            .ThenBy(d => d.Index)
            .ToList();
        if (request["top_n"] is JsonValue topValue && topValue.TryGetValue<int>(out var topN) && topN > 0)
        {
            scored = [.. scored.Take(topN)];
        }

        var results = new JsonArray();
        foreach (var (index, text, score) in scored)
        {
            var result = new JsonObject { ["index"] = index, ["relevance_score"] = Math.Round(score, 4) };
            if (AsBool(request["return_documents"]))
            {
                result["document"] = new JsonObject { ["text"] = text };
            }

            results.Add(result);
        }

        var tokens = TokenCount.AtLeastOne(TokenCount.Words(query) + documents.Sum(d => TokenCount.Words(AsString(d))));
        await WriteJsonAsync(context, new JsonObject
        {
            ["model"] = ModelOf(request),
            ["object"] = "list",
            ["usage"] = new JsonObject { ["prompt_tokens"] = tokens, ["total_tokens"] = tokens },
            ["results"] = results,
        }, cancellationToken);
    }

    /// <summary>OpenAI's image answer: <c>n</c> (at most 4) small PNGs coloured by the prompt, as <c>b64_json</c>.</summary>
    private async Task ImagesAsync(HttpContext context, byte[] body, CancellationToken cancellationToken)
    {
        var request = ParseObject(body);
        var prompt = AsString(request?["prompt"]);
        if (string.IsNullOrWhiteSpace(prompt))
        {
            await BadRequestAsync(context, "request body must be a JSON object with a prompt", cancellationToken);
            return;
        }

        var count = request!["n"] is JsonValue nValue && nValue.TryGetValue<int>(out var n) ? Math.Clamp(n, 1, 4) : 1;
        var data = new JsonArray();
        for (var i = 0; i < count; i++)
        {
            data.Add(new JsonObject
            {
                ["b64_json"] = Convert.ToBase64String(TinyMedia.Png($"{prompt}#{i}")),
                ["revised_prompt"] = prompt,
            });
        }

        await WriteJsonAsync(context, new JsonObject { ["created"] = Created(), ["data"] = data }, cancellationToken);
    }

    /// <summary>OpenAI's speech answer: a WAV body (a short tone whose pitch follows the input's length).</summary>
    private async Task SpeechAsync(HttpContext context, byte[] body, CancellationToken cancellationToken)
    {
        var request = ParseObject(body);
        var input = AsString(request?["input"]);
        if (string.IsNullOrWhiteSpace(input))
        {
            await BadRequestAsync(context, "request body must be a JSON object with input", cancellationToken);
            return;
        }

        var wav = TinyMedia.Wav(input);
        context.Response.ContentType = "audio/wav";
        context.Response.ContentLength = wav.Length;
        await context.Response.Body.WriteAsync(wav, cancellationToken);
    }

    private static HashSet<string> WordSet(string text) =>
        [.. text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Select(w => w.Trim('.', ',', '?', '!', ';', ':').ToLowerInvariant()).Where(w => w.Length > 0)];
}
