using System.ClientModel;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using LlamaSwap.Core.Processes;
using LlamaSwap.Core.State;
using LlamaSwap.Tests.Infrastructure;
using OpenAI;
using OpenAI.Chat;
using StackExchange.Redis;

namespace LlamaSwap.Tests.EndToEnd;

/// <summary>Auth proxy -> gateway -> supervisor -> test upstream, with the official OpenAI SDK as the client.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class RequestPathTests(SharedStackFixture fixture) : IAsyncLifetime
{
    private LlamaSwapStack Stack => fixture.Stack;

    public Task InitializeAsync() => Stack.UnloadAllAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private OpenAIClient OpenAi(string? key = LlamaSwapStack.ApiKey) => new(
        new ApiKeyCredential(key ?? "none"),
        new OpenAIClientOptions { Endpoint = new Uri(Stack.FrontDoor + "/v1"), NetworkTimeout = TimeSpan.FromSeconds(60) });

    [Fact]
    public async Task Chat_NonStreaming_ReturnsTheUpstreamsReply()
    {
        ChatCompletion completion = await OpenAi().GetChatClient("chat-a").CompleteChatAsync([new UserChatMessage("hi there")]);

        Assert.Equal("hello from a", completion.Content[0].Text);
        Assert.True(completion.Usage.OutputTokenCount > 0);
    }

    [Fact]
    public async Task Chat_ByAlias_ReachesTheModelWithTheAliasUnchanged()
    {
        ChatCompletion completion = await OpenAi().GetChatClient("gpt-a").CompleteChatAsync([new UserChatMessage("hi")]);

        Assert.Equal("hello from a", completion.Content[0].Text);
        var last = Stack.RequestsReceivedBy("chat-a").Last(r => r.GetProperty("path").GetString() == "/v1/chat/completions");
        Assert.Contains("\"gpt-a\"", last.GetProperty("body").GetString());
    }

    [Fact]
    public async Task Chat_Streaming_ChunksArriveBeforeTheUpstreamFinishes()
    {
        var text = new StringBuilder();
        DateTime? firstChunkAt = null;
        await foreach (var update in OpenAi().GetChatClient("slow-stream").CompleteChatStreamingAsync([new UserChatMessage("count")]))
        {
            foreach (var part in update.ContentUpdate)
            {
                firstChunkAt ??= DateTime.UtcNow;
                text.Append(part.Text);
            }
        }

        Assert.Equal("one two three four five", text.ToString());

        // The upstream records its stream's end after writing the last chunk: the client can be first.
        static bool IsStreamEnd(JsonElement e) => e.GetProperty("event").GetString() == "stream-end";
        await Eventually.TrueAsync(() => Stack.EventsOf("slow-stream").Any(IsStreamEnd), "the upstream records the end of its stream");
        var streamEnd = Stack.EventsOf("slow-stream").Last(IsStreamEnd);
        var endedAt = streamEnd.GetProperty("time").GetDateTime().ToUniversalTime();
        // Five chunks 300 ms apart: the first must reach the client long before the upstream's last write.
        Assert.True(firstChunkAt < endedAt - TimeSpan.FromMilliseconds(800), $"first chunk at {firstChunkAt:O}, upstream ended at {endedAt:O}");
    }

    [Fact]
    public async Task Embeddings_ReturnVectors()
    {
        var embedding = await OpenAi().GetEmbeddingClient("embed").GenerateEmbeddingAsync("some text");

        Assert.True(embedding.Value.ToFloats().Length > 0);
    }

    [Fact]
    public async Task Swap_SecondModelOfGroup_StopsTheFirst_AndRunningShowsOnlyTheSecond()
    {
        await OpenAi().GetChatClient("chat-a").CompleteChatAsync([new UserChatMessage("a")]);
        Assert.Equal(["chat-a"], await Stack.RunningAsync());
        var pidOfA = LastStartedPid("chat-a");

        await OpenAi().GetChatClient("chat-b").CompleteChatAsync([new UserChatMessage("b")]);

        Assert.Equal(["chat-b"], await Stack.RunningAsync());
        await Eventually.TrueAsync(() => !ProcFs.IsAlive(pidOfA), "chat-a's process is gone");
    }

    [Fact]
    public async Task SwapFalseGroup_MembersCoexist()
    {
        await OpenAi().GetChatClient("pair-x").CompleteChatAsync([new UserChatMessage("x")]);
        await OpenAi().GetChatClient("pair-y").CompleteChatAsync([new UserChatMessage("y")]);

        Assert.Equal(["pair-x", "pair-y"], await Stack.RunningAsync());
    }

    [Fact]
    public async Task PersistentGroup_SurvivesASwapElsewhere()
    {
        await OpenAi().GetEmbeddingClient("embed").GenerateEmbeddingAsync("keep me");
        await OpenAi().GetChatClient("chat-a").CompleteChatAsync([new UserChatMessage("a")]);
        await OpenAi().GetChatClient("chat-b").CompleteChatAsync([new UserChatMessage("b")]);

        Assert.Equal(["chat-b", "embed"], await Stack.RunningAsync());
    }

    [Fact]
    public async Task Collation_SixInterleavedRequestsForThreeModels_StartEachModelOnce()
    {
        var before = new[] { "chat-a", "chat-b", "chat-c" }.ToDictionary(m => m, Stack.StartsOf);
        var chat = OpenAi();
        string[] order = ["chat-c", "chat-a", "chat-b", "chat-c", "chat-a", "chat-b"];

        var replies = await Task.WhenAll(order.Select(async m =>
        {
            ChatCompletion c = await chat.GetChatClient(m).CompleteChatAsync([new UserChatMessage(m)]);
            return c.Content[0].Text;
        }));

        Assert.Equal(order.Select(m => $"hello from {m[^1]}"), replies);
        var starts = before.Keys.Sum(m => Stack.StartsOf(m) - before[m]);
        Assert.Equal(3, starts);
    }

    [Fact]
    public async Task ConcurrencyLimit_EleventhConcurrentRequest_Gets429WithRetryAfter()
    {
        var requests = Enumerable.Range(0, 11).Select(_ => PostChatAsync("limited")).ToList();
        var responses = await Task.WhenAll(requests);
        try
        {
            var rejected = responses.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).ToList();
            Assert.Single(rejected);
            Assert.Equal(10, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
            Assert.Equal("1", rejected[0].Headers.GetValues("Retry-After").Single());
            using var body = JsonDocument.Parse(await rejected[0].Content.ReadAsStringAsync());
            Assert.Equal("concurrency_limit", body.RootElement.GetProperty("error").GetProperty("code").GetString());
            Assert.Equal("rate_limit_error", body.RootElement.GetProperty("error").GetProperty("type").GetString());
        }
        finally
        {
            responses.ToList().ForEach(r => r.Dispose());
        }
    }

    [Fact]
    public async Task QueuedRequest_WhoseClientLeaves_NeverStartsItsModel()
    {
        // A streaming request keeps chat-a busy, so a request for chat-b must queue behind it.
        var chat = OpenAi();
        await using var busy = chat.GetChatClient("slow-stream").CompleteChatStreamingAsync([new UserChatMessage("hold")]).GetAsyncEnumerator();
        Assert.True(await busy.MoveNextAsync());
        var startsOfB = Stack.StartsOf("chat-b");

        using (var leaving = new CancellationTokenSource())
        {
            var queued = PostChatAsync("chat-b", leaving.Token);
            // Nothing outside the supervisor shows that a request is queued; reaching it takes about
            // a millisecond here, so 300 ms makes sure the cancel removes a queued request.
            await Task.Delay(300);
            Assert.False(queued.IsCompleted, "chat-b must wait while slow-stream serves");
            leaving.Cancel();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => queued);
        }

        while (await busy.MoveNextAsync())
        {
        }

        // Give the scheduler every chance to (wrongly) start chat-b now that slow-stream is idle.
        using var probe = await PostChatAsync("slow-stream");
        Assert.Equal(HttpStatusCode.OK, probe.StatusCode);
        Assert.Equal(startsOfB, Stack.StartsOf("chat-b"));
        Assert.DoesNotContain("chat-b", await Stack.RunningAsync());
    }

    [Fact]
    public async Task Ttl_IdleModel_IsUnloaded()
    {
        await OpenAi().GetChatClient("short-ttl").CompleteChatAsync([new UserChatMessage("ttl")]);
        var pid = LastStartedPid("short-ttl");

        await Eventually.TrueAsync(async () => !(await Stack.RunningAsync()).Contains("short-ttl"), "short-ttl was unloaded by its TTL", TimeSpan.FromSeconds(10));
        await Eventually.TrueAsync(() => !ProcFs.IsAlive(pid), "its process is gone");
    }

    [Fact]
    public async Task UnloadApi_StopsTheModelsProcess()
    {
        await OpenAi().GetChatClient("chat-a").CompleteChatAsync([new UserChatMessage("a")]);
        var pid = LastStartedPid("chat-a");

        using var response = await Stack.Client.PostAsync(Stack.FrontDoor + "/api/models/unload/chat-a", null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(await Stack.RunningAsync());
        Assert.False(ProcFs.IsAlive(pid));
    }

    [Fact]
    public async Task UnknownModel_Gets404Envelope()
    {
        using var response = await PostChatAsync("no-such-model");

        await AssertEnvelope(response, HttpStatusCode.NotFound, "no router for requested model \"no-such-model\": GET /v1/models lists the available models", "not_found");
    }

    [Fact]
    public async Task MissingModel_Gets404Envelope()
    {
        using var response = await Stack.Client.PostAsync(Stack.FrontDoor + "/v1/chat/completions", Json("{\"messages\":[]}"));

        await AssertEnvelope(response, HttpStatusCode.NotFound, "no model id could be identified", "not_found");
    }

    [Fact]
    public async Task Auth_NoKey_Gets401WithBasicChallenge()
    {
        using var client = new HttpClient();
        using var response = await client.PostAsync(Stack.FrontDoor + "/v1/chat/completions", Json(ChatBody("chat-a")));

        Assert.Equal("Basic realm=\"llama-swap\"", response.Headers.WwwAuthenticate.ToString());
        await AssertEnvelope(response, HttpStatusCode.Unauthorized, "unauthorized: invalid or missing API key", "unauthorized");
    }

    [Theory]
    [InlineData("bearer")]
    [InlineData("basic")]
    [InlineData("x-api-key")]
    public async Task Auth_EachKeyForm_IsAccepted_AndTheUpstreamNeverSeesTheKey(string form)
    {
        using var client = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, Stack.FrontDoor + "/v1/chat/completions") { Content = Json(ChatBody("chat-a")) };
        switch (form)
        {
            case "bearer": request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", LlamaSwapStack.ApiKey); break;
            case "basic": request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("anyone:" + LlamaSwapStack.ApiKey))); break;
            default: request.Headers.Add("x-api-key", LlamaSwapStack.ApiKey); break;
        }

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var received = Stack.RequestsReceivedBy("chat-a");
        Assert.NotEmpty(received);
        foreach (var r in received)
        {
            Assert.DoesNotContain(LlamaSwapStack.ApiKey, r.GetRawText(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task CmdStop_IsUsedToStopTheModel()
    {
        var marker = Path.Combine(Stack.WorkDirectory, "cmdstop.marker");
        File.Delete(marker);
        await OpenAi().GetChatClient("with-cmdstop").CompleteChatAsync([new UserChatMessage("hi")]);
        var pid = LastStartedPid("with-cmdstop");

        await Stack.UnloadAllAsync();

        Assert.True(File.Exists(marker), "cmdStop wrote its marker");
        Assert.False(ProcFs.IsAlive(pid));
    }

    [Fact]
    public async Task StubbornUpstream_IgnoringSigterm_IsKilledAfterUnloadTimeout()
    {
        await OpenAi().GetChatClient("stubborn").CompleteChatAsync([new UserChatMessage("hi")]);
        var pid = LastStartedPid("stubborn");

        var clock = Stopwatch.StartNew();
        await Stack.UnloadAllAsync();
        clock.Stop();

        Assert.False(ProcFs.IsAlive(pid));
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(0.9), $"unload took {clock.Elapsed}: SIGTERM must be given its unloadTimeout");
        Assert.Contains(Stack.EventsOf("stubborn"), e => e.GetProperty("event").GetString() == "sigterm");
    }

    [Fact]
    public async Task UpstreamKilledMidStream_ClientGetsAnError_AndTheNextRequestRestartsIt()
    {
        var chat = OpenAi().GetChatClient("slow-stream");
        var failed = false;
        try
        {
            await foreach (var update in chat.CompleteChatStreamingAsync([new UserChatMessage("count")]))
            {
                if (update.ContentUpdate.Count > 0 && !failed)
                {
                    failed = true;
                    PosixSignals.SignalProcess(LastStartedPid("slow-stream"), PosixSignals.SigKill);
                }
            }

            Assert.Fail("the stream completed although its upstream was killed");
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException or ClientResultException)
        {
            Assert.True(failed);
        }

        var startsBefore = Stack.StartsOf("slow-stream");
        ChatCompletion again = await chat.CompleteChatAsync([new UserChatMessage("again")]);

        Assert.Equal("one two three four five", again.Content[0].Text);
        Assert.Equal(startsBefore + 1, Stack.StartsOf("slow-stream"));
    }

    [Fact]
    public async Task RedisRestart_DoesNotBreakServing_AndStateIsRepublished()
    {
        await OpenAi().GetChatClient("chat-a").CompleteChatAsync([new UserChatMessage("before")]);
        var startsBefore = Stack.StartsOf("chat-a");

        await Stack.Redis.RestartAsync();
        ChatCompletion after = await OpenAi().GetChatClient("chat-a").CompleteChatAsync([new UserChatMessage("after")]);

        Assert.Equal("hello from a", after.Content[0].Text);
        Assert.Equal(startsBefore, Stack.StartsOf("chat-a"));
        // Read Redis itself: the gateway would fall back to the supervisor and hide a missing republish.
        using var redis = await ConnectionMultiplexer.ConnectAsync(Stack.Redis.ConnectionString + ",abortConnect=false");
        await Eventually.TrueAsync(
            async () => (string?)await redis.GetDatabase().HashGetAsync(RedisModelStateStore.ModelsKey, "chat-a") is { } json && json.Contains("\"ready\"", StringComparison.Ordinal),
            "the supervisor wrote chat-a's state into the restarted Redis",
            TimeSpan.FromSeconds(15));
    }

    private int LastStartedPid(string model)
        => Stack.EventsOf(model).Last(e => e.GetProperty("event").GetString() == "started").GetProperty("pid").GetInt32();

    private Task<HttpResponseMessage> PostChatAsync(string model, CancellationToken cancellationToken = default)
        => Stack.Client.PostAsync(Stack.FrontDoor + "/v1/chat/completions", Json(ChatBody(model)), cancellationToken);

    private static string ChatBody(string model)
        => JsonSerializer.Serialize(new { model, messages = new[] { new { role = "user", content = "hello" } } });

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private static async Task AssertEnvelope(HttpResponseMessage response, HttpStatusCode status, string message, string code)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"expected {(int)status}, got {(int)response.StatusCode}: {body}");
        using var doc = JsonDocument.Parse(body);
        Assert.Equal("llama-swap", doc.RootElement.GetProperty("src").GetString());
        Assert.Equal(message, doc.RootElement.GetProperty("error").GetProperty("message").GetString());
        Assert.Equal(code, doc.RootElement.GetProperty("error").GetProperty("code").GetString());
    }
}
