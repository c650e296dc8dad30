using System.ClientModel;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using LlamaSwap.Core.Processes;
using LlamaSwap.Tests.Infrastructure;
using OpenAI;
using OpenAI.Chat;

namespace LlamaSwap.Tests.TestUpstream;

public sealed class TestUpstreamTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("llamaswap-upstream-test-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task ChatCompletions_Streaming_SendsTheChunksThenUsageThenDone()
    {
        await using var upstream = await RunningTestUpstream.StartAsync("--chunks", "4", "--respond", "one two three");

        using var response = await upstream.Client.PostAsJsonAsync("v1/chat/completions", new JsonObject
        {
            ["model"] = "asked-model",
            ["stream"] = true,
            ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = "say three words" }),
        });
        var payloads = (await response.Content.ReadAsStringAsync())
            .Split("\n\n", StringSplitOptions.RemoveEmptyEntries)
            .Select(frame => Assert.Single(frame.Split('\n'), l => l.StartsWith("data: ", StringComparison.Ordinal))["data: ".Length..])
            .ToList();

        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(6, payloads.Count);
        Assert.Equal("[DONE]", payloads[^1]);
        var chunks = payloads[..4].Select(p => JsonNode.Parse(p)!).ToList();
        Assert.All(chunks, c => Assert.Equal("chat.completion.chunk", c["object"]!.GetValue<string>()));
        Assert.All(chunks, c => Assert.Equal("asked-model", c["model"]!.GetValue<string>()));
        Assert.Equal("assistant", chunks[0]["choices"]![0]!["delta"]!["role"]!.GetValue<string>());
        Assert.Equal("one two three", string.Concat(chunks.Select(c => c["choices"]![0]!["delta"]!["content"]!.GetValue<string>())));
        var usage = JsonNode.Parse(payloads[4])!;
        Assert.Empty(usage["choices"]!.AsArray());
        Assert.Equal(3, usage["usage"]!["prompt_tokens"]!.GetValue<int>());
        Assert.Equal(3, usage["usage"]!["completion_tokens"]!.GetValue<int>());
        Assert.Equal(6, usage["usage"]!["total_tokens"]!.GetValue<int>());
    }

    [Fact]
    public async Task OpenAiSdk_ChatPlainAndStreamed_GetsTheRespondText()
    {
        await using var upstream = await RunningTestUpstream.StartAsync("--respond", "hello from upstream");
        var client = new ChatClient("test-model", new ApiKeyCredential("unused"), new OpenAIClientOptions { Endpoint = new Uri(upstream.BaseAddress, "v1") });

        ChatCompletion completion = await client.CompleteChatAsync([new UserChatMessage("hi there")]);
        var streamed = new StringBuilder();
        ChatTokenUsage? streamedUsage = null;
        await foreach (var update in client.CompleteChatStreamingAsync([new UserChatMessage("hi there")]))
        {
            foreach (var part in update.ContentUpdate)
            {
                streamed.Append(part.Text);
            }

            streamedUsage ??= update.Usage;
        }

        Assert.Equal("hello from upstream", completion.Content[0].Text);
        Assert.Equal(2, completion.Usage.InputTokenCount);
        Assert.Equal(3, completion.Usage.OutputTokenCount);
        Assert.Equal("hello from upstream", streamed.ToString());
        Assert.Equal(3, streamedUsage?.OutputTokenCount);
    }

    [Fact]
    public async Task RecordFile_HoldsOneLinePerRequestWithHeadersQueryAndBody()
    {
        var records = Path.Combine(_directory, "records.jsonl");
        await using var upstream = await RunningTestUpstream.StartAsync("--record-file", records);

        using var text = new HttpRequestMessage(HttpMethod.Post, "v1/completions?trace=1") { Content = new StringContent("{\"prompt\":\"a \\\"quoted\\\" b\"}", Encoding.UTF8, "application/json") };
        text.Headers.Add("X-Test-Header", "abc");
        (await upstream.Client.SendAsync(text)).EnsureSuccessStatusCode();
        var binary = new byte[] { 0, 1, 2, 255 };
        (await upstream.Client.PutAsync("anything/else", new ByteArrayContent(binary))).EnsureSuccessStatusCode();

        var lines = File.ReadAllLines(records).Select(l => JsonNode.Parse(l)!).ToList();
        Assert.Equal(2, lines.Count);
        Assert.Equal("POST", lines[0]["method"]!.GetValue<string>());
        Assert.Equal("/v1/completions", lines[0]["path"]!.GetValue<string>());
        Assert.Equal("trace=1", lines[0]["query"]!.GetValue<string>());
        Assert.Equal("abc", lines[0]["headers"]!["X-Test-Header"]!.GetValue<string>());
        Assert.Equal("{\"prompt\":\"a \\\"quoted\\\" b\"}", lines[0]["body"]!.GetValue<string>());
        Assert.False(lines[0]["bodyBase64"]!.GetValue<bool>());
        Assert.Equal(upstream.Pid, lines[0]["pid"]!.GetValue<int>());
        Assert.True(DateTime.TryParseExact(lines[0]["time"]!.GetValue<string>(), "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture, DateTimeStyles.None, out _));
        Assert.Equal("PUT", lines[1]["method"]!.GetValue<string>());
        Assert.True(lines[1]["bodyBase64"]!.GetValue<bool>());
        Assert.Equal(binary, Convert.FromBase64String(lines[1]["body"]!.GetValue<string>()));
    }

    [Fact]
    public async Task UnknownRoutes_EchoMethodPathAndQuery()
    {
        await using var upstream = await RunningTestUpstream.StartAsync();

        using var response = await upstream.Client.DeleteAsync("v1/chat/completions/x.json?a=1");
        var echo = await response.Content.ReadFromJsonAsync<JsonObject>();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("DELETE", echo!["method"]!.GetValue<string>());
        Assert.Equal("/v1/chat/completions/x.json", echo["path"]!.GetValue<string>());
        Assert.Equal("a=1", echo["query"]!.GetValue<string>());
    }

    [Fact]
    public async Task OtherEndpoints_AnswerInTheirApiShapes()
    {
        await using var upstream = await RunningTestUpstream.StartAsync("--respond", "hi");

        var embeddings = await PostAsync(upstream, "v1/embeddings", new JsonObject { ["model"] = "e", ["input"] = new JsonArray("a b", "c") });
        var messages = await PostAsync(upstream, "v1/messages", new JsonObject
        {
            ["model"] = "claude",
            ["max_tokens"] = 10,
            ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = "one two" }),
        });
        using var form = new MultipartFormDataContent { { new ByteArrayContent(new byte[42]), "file", "a.wav" }, { new StringContent("whisper"), "model" } };
        var transcription = await (await upstream.Client.PostAsync("v1/audio/transcriptions", form)).Content.ReadFromJsonAsync<JsonObject>();
        using var noFile = await upstream.Client.PostAsync("v1/audio/transcriptions", new MultipartFormDataContent { { new StringContent("whisper"), "model" } });

        Assert.Equal(2, embeddings["data"]!.AsArray().Count);
        Assert.Equal(8, embeddings["data"]![1]!["embedding"]!.AsArray().Count);
        Assert.Equal("message", messages["type"]!.GetValue<string>());
        Assert.Equal("hi", messages["content"]![0]!["text"]!.GetValue<string>());
        Assert.Equal("end_turn", messages["stop_reason"]!.GetValue<string>());
        Assert.Equal(2, messages["usage"]!["input_tokens"]!.GetValue<int>());
        Assert.Equal("The length of the file is 42 bytes", transcription!["text"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.BadRequest, noFile.StatusCode);
    }

    [Fact]
    public async Task WaitQuery_DelaysTheAnswer()
    {
        await using var upstream = await RunningTestUpstream.StartAsync();
        var stopwatch = System.Diagnostics.Stopwatch.StartNew();

        using var response = await upstream.Client.PostAsJsonAsync("v1/chat/completions?wait=300", new JsonObject
        {
            ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = "x" }),
        });

        response.EnsureSuccessStatusCode();
        Assert.True(stopwatch.Elapsed >= TimeSpan.FromMilliseconds(300), $"answered after {stopwatch.Elapsed}");
    }

    [Fact]
    public async Task Health_DuringStartupDelay_Answers503ThenOk()
    {
        var port = FreePorts.Next();
        var argv = TestUpstreamBinary.Command(port, "--startup-delay-ms", "1500");
        using var process = System.Diagnostics.Process.Start(argv[0], argv[1..]);
        try
        {
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
            HttpStatusCode? first = null;
            await Eventually.TrueAsync(async () =>
            {
                try
                {
                    using var response = await client.GetAsync("health");
                    first ??= response.StatusCode;
                    return response.StatusCode == HttpStatusCode.OK;
                }
                catch (HttpRequestException)
                {
                    return false;
                }
            }, "health turns 200", TimeSpan.FromSeconds(20));

            Assert.Equal(HttpStatusCode.ServiceUnavailable, first);
        }
        finally
        {
            process.Kill();
        }
    }

    [Fact]
    public async Task Sigterm_ExitsWithZeroQuickly()
    {
        await using var upstream = await RunningTestUpstream.StartAsync();

        PosixSignals.SignalProcess(upstream.Pid, PosixSignals.SigTerm);

        await upstream.Process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(0, upstream.Process.ExitCode);
    }

    [Fact]
    public async Task IgnoreSigterm_SurvivesSigtermButNotSigkill()
    {
        var events = Path.Combine(_directory, "events.jsonl");
        await using var upstream = await RunningTestUpstream.StartAsync("--ignore-sigterm", "--events-file", events);

        PosixSignals.SignalProcess(upstream.Pid, PosixSignals.SigTerm);
        await Eventually.TrueAsync(() => File.ReadAllText(events).Contains("\"sigterm\"", StringComparison.Ordinal), "the upstream saw SIGTERM");

        using (var health = await upstream.Client.GetAsync("health"))
        {
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        }

        Assert.True(ProcFs.IsAlive(upstream.Pid));
        PosixSignals.SignalProcess(upstream.Pid, PosixSignals.SigKill);
        await upstream.Process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(5));
    }

    private static async Task<JsonObject> PostAsync(RunningTestUpstream upstream, string path, JsonObject body)
    {
        using var response = await upstream.Client.PostAsJsonAsync(path, body);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }
}
