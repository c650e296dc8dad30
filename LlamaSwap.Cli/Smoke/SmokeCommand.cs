using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using LlamaSwap.Cli.CommandLine;
using LlamaSwap.Cli.State;
using LlamaSwap.Core.Hosting;

namespace LlamaSwap.Cli.Smoke;

/// <summary>
/// <c>llamaswap smoke</c>: the seed's <c>test-inference</c>, <c>test-streaming</c> and
/// <c>test-embeddings</c> against a running install, one PASS/FAIL/SKIP line each. Exit 0 when
/// nothing failed.
/// </summary>
internal static class SmokeCommand
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromMinutes(10);

    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter stdout, CancellationToken cancellationToken)
    {
        var flags = GoFlags.Parse(args, [], ["url", "key", "model", "embedding-model", "cacert", "state-dir"]);
        if (flags.Operands.Count > 0)
        {
            throw new UsageException($"unexpected argument '{flags.Operands[0]}'");
        }

        var state = new StateDirectory(flags.Value("state-dir") is { } dir ? Path.GetFullPath(dir) : StateDirectory.Default());
        var run = flags.Value("url") is null ? state.ReadRun() : null;
        var url = (flags.Value("url") ?? run?.FrontDoor ?? "http://localhost:3000").TrimEnd('/');
        var key = flags.Value("key") ?? Environment.GetEnvironmentVariable("API_KEY");
        using var client = FrontDoorProbe.CreateClient(flags.Value("cacert") ?? run?.TlsCertFile, RequestTimeout);
        if (key is { Length: > 0 })
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        stdout.WriteLine($"Smoke tests against {url}");
        var results = new List<bool?>();
        void Report(bool? passed, string name, string detail)
        {
            results.Add(passed);
            stdout.WriteLine($"  {(passed switch { true => "PASS", false => "FAIL", null => "SKIP" }),-4}  {name,-10}  {detail}");
        }

        var models = await ListModelsAsync(client, url, cancellationToken);
        if (models.Error is { } listError)
        {
            Report(false, "models", listError);
            stdout.WriteLine("1 failed: the front door did not list its models");
            return ExitCodes.Failure;
        }

        Report(true, "models", $"{models.Ids.Count} listed");
        var chat = flags.Value("model") ?? models.Ids.FirstOrDefault(id => !IsEmbedding(id));
        var embedding = flags.Value("embedding-model") ?? models.Ids.FirstOrDefault(IsEmbedding);

        if (chat is null)
        {
            Report(null, "inference", "no chat model listed (give --model)");
            Report(null, "streaming", "no chat model listed (give --model)");
        }
        else
        {
            var (passed, detail) = await InferenceAsync(client, url, chat, cancellationToken);
            Report(passed, "inference", detail);
            (passed, detail) = await StreamingAsync(client, url, chat, cancellationToken);
            Report(passed, "streaming", detail);
        }

        if (embedding is null)
        {
            Report(null, "embeddings", "no model with \"embed\" in its name listed (give --embedding-model)");
        }
        else
        {
            var (passed, detail) = await EmbeddingsAsync(client, url, embedding, cancellationToken);
            Report(passed, "embeddings", detail);
        }

        var failed = results.Count(r => r == false);
        stdout.WriteLine($"{results.Count(r => r == true)} passed, {failed} failed, {results.Count(r => r is null)} skipped");
        return failed == 0 ? ExitCodes.Success : ExitCodes.Failure;
    }

    private static bool IsEmbedding(string id) => id.Contains("embed", StringComparison.OrdinalIgnoreCase);

    private static async Task<(IReadOnlyList<string> Ids, string? Error)> ListModelsAsync(HttpClient client, string url, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await client.GetAsync(url + "/v1/models", cancellationToken);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                return ([], $"GET /v1/models: {(int)response.StatusCode} {Shorten(body)}");
            }

            var ids = JsonNode.Parse(body)?["data"]?.AsArray().Select(m => m?["id"]?.GetValue<string>()).OfType<string>().ToList() ?? [];
            return (ids, null);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or JsonException or InvalidOperationException)
        {
            return ([], $"GET /v1/models: {ex.Message}");
        }
    }

    private static async Task<(bool, string)> InferenceAsync(HttpClient client, string url, string model, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            using var response = await client.PostAsync(url + "/v1/chat/completions", Chat(model, stream: false), cancellationToken);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                return (false, $"{model}: {(int)response.StatusCode} {Shorten(body)}");
            }

            var text = JsonNode.Parse(body)?["choices"] is JsonArray { Count: > 0 } choices ? choices[0]?["message"]?["content"]?.GetValue<string>() : null;
            return text is { Length: > 0 }
                ? (true, $"{model}: \"{Shorten(text)}\" ({clock.ElapsedMilliseconds} ms)")
                : (false, $"{model}: no message content in {Shorten(body)}");
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or JsonException or InvalidOperationException)
        {
            return (false, $"{model}: {ex.Message}");
        }
    }

    private static async Task<(bool, string)> StreamingAsync(HttpClient client, string url, string model, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, url + "/v1/chat/completions") { Content = Chat(model, stream: true) };
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                return (false, $"{model}: {(int)response.StatusCode} {Shorten(await response.Content.ReadAsStringAsync(cancellationToken))}");
            }

            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken));
            var chunks = 0;
            long? firstChunk = null;
            var done = false;
            var text = new StringBuilder();
            while (await reader.ReadLineAsync(cancellationToken) is { } line)
            {
                if (!line.StartsWith("data:", StringComparison.Ordinal))
                {
                    continue;
                }

                var data = line[5..].Trim();
                if (data == "[DONE]")
                {
                    done = true;
                    break;
                }

                // The last chunk may carry only usage, with no choices.
                var delta = JsonNode.Parse(data)?["choices"] is JsonArray { Count: > 0 } choices ? choices[0]?["delta"] : null;
                if ((delta?["content"] ?? delta?["reasoning_content"])?.GetValue<string>() is { Length: > 0 } piece)
                {
                    firstChunk ??= clock.ElapsedMilliseconds;
                    chunks++;
                    text.Append(piece);
                }
            }

            return (done && chunks > 0, done && chunks > 0
                ? $"{model}: {chunks} chunks, first after {firstChunk} ms, all after {clock.ElapsedMilliseconds} ms: \"{Shorten(text.ToString())}\""
                : $"{model}: {chunks} content chunks, {(done ? "" : "no ")}[DONE]");
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or JsonException or InvalidOperationException or IOException)
        {
            return (false, $"{model}: {ex.Message}");
        }
    }

    private static async Task<(bool, string)> EmbeddingsAsync(HttpClient client, string url, string model, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            var request = new JsonObject { ["model"] = model, ["input"] = "LlamaSwap smoke test" };
            using var response = await client.PostAsync(url + "/v1/embeddings", Json(request), cancellationToken);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                return (false, $"{model}: {(int)response.StatusCode} {Shorten(body)}");
            }

            var size = JsonNode.Parse(body)?["data"] is JsonArray { Count: > 0 } data ? data[0]?["embedding"]?.AsArray().Count ?? 0 : 0;
            return size > 0
                ? (true, $"{model}: a vector of {size} numbers ({clock.ElapsedMilliseconds} ms)")
                : (false, $"{model}: no embedding in {Shorten(body)}");
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or JsonException or InvalidOperationException)
        {
            return (false, $"{model}: {ex.Message}");
        }
    }

    private static StringContent Chat(string model, bool stream) => Json(new JsonObject
    {
        ["model"] = model,
        ["stream"] = stream,
        ["max_tokens"] = 32,
        ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = "Say hello in five words." }),
    });

    private static StringContent Json(JsonNode node) => new(node.ToJsonString(), Encoding.UTF8, "application/json");

    private static string Shorten(string text)
    {
        var oneLine = text.ReplaceLineEndings(" ").Trim();
        return oneLine.Length <= 80 ? oneLine : oneLine[..77] + "...";
    }
}
