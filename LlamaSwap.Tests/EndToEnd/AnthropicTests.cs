using System.Net;
using System.Text;
using System.Text.Json;
using Anthropic;
using Anthropic.Models.Messages;

namespace LlamaSwap.Tests.EndToEnd;

/// <summary>Its own stack: an OpenAI-only model whose Messages requests are translated, and a native Anthropic one.</summary>
public sealed class AnthropicStackFixture : IAsyncLifetime
{
    private LlamaSwapStack? _stack;

    internal LlamaSwapStack Stack => _stack ?? throw new InvalidOperationException("stack not started");

    private static string Yaml => $$$"""
        healthCheckTimeout: 30
        startPort: {{startPort}}
        apiKeys:
          - "{{{LlamaSwapStack.ApiKey}}}"
        models:
          oa:
            cmd: {{{LlamaSwapStack.UpstreamCommand("oa", "--openai-only --respond 'hello from openai' --chunks 3")}}}
            openaiOnly: true
          native:
            cmd: {{{LlamaSwapStack.UpstreamCommand("native", "--respond 'hello from native'")}}}
          oa-keyed:
            cmd: {{{LlamaSwapStack.UpstreamCommand("oa-keyed", "--openai-only --respond 'hello from openai'")}}}
            openaiOnly: true
            forwardClientAuth: true
        groups:
          both:
            swap: false
            members: [oa, native, oa-keyed]
        """;

    public async Task InitializeAsync() => _stack = await LlamaSwapStack.StartAsync(Yaml, portCount: 4);

    public async Task DisposeAsync()
    {
        if (_stack is not null)
        {
            await _stack.DisposeAsync();
        }
    }
}

/// <summary>Anthropic Messages through the whole stack, with the official Anthropic SDK as the client.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class AnthropicTests(AnthropicStackFixture fixture) : IClassFixture<AnthropicStackFixture>
{
    // "be brief" + "say hello please": the test upstream counts words as tokens.
    private const int PromptWords = 5;
    private const int ReplyWords = 3;

    private LlamaSwapStack Stack => fixture.Stack;

    private AnthropicClient Client() => new() { ApiKey = LlamaSwapStack.ApiKey, BaseUrl = Stack.FrontDoor, MaxRetries = 0 };

    private static MessageCreateParams Request(string model) => new()
    {
        Model = model,
        MaxTokens = 64,
        System = "be brief",
        Messages = [new UserMessageParam { Content = "say hello please" }],
    };

    [Fact]
    public async Task OpenAiOnlyModel_GetsTheClientsKey_OnlyWithForwardClientAuth()
    {
        // Anthropic's own way of presenting a key: x-api-key.
        async Task SendAsync(string model)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, Stack.FrontDoor + "/v1/messages")
            {
                Content = new StringContent($$"""{"model":"{{model}}","max_tokens":16,"messages":[{"role":"user","content":"hi"}]}""", Encoding.UTF8, "application/json"),
            };
            request.Headers.Add("x-api-key", LlamaSwapStack.ApiKey);
            using var client = new HttpClient();
            using var response = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        await SendAsync("oa-keyed");
        await SendAsync("oa");

        // The translated request carries the client's key unchanged only where forwardClientAuth asks.
        var keyed = Stack.RequestsReceivedBy("oa-keyed").Last().GetProperty("headers");
        Assert.Equal(LlamaSwapStack.ApiKey, keyed.GetProperty("x-api-key").GetString());
        var plain = Stack.RequestsReceivedBy("oa").Last().GetProperty("headers").GetRawText();
        Assert.DoesNotContain(LlamaSwapStack.ApiKey, plain, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_OpenAiOnlyModel_TranslatedToChatCompletions()
    {
        var message = await Client().Messages.Create(Request("oa"));

        Assert.True(message.Content.Single().TryPickText(out var text));
        Assert.Equal("hello from openai", text.Text);
        Assert.Equal("oa", message.Model.Raw());
        Assert.Equal(StopReason.EndTurn, message.StopReason?.Value());
        Assert.Equal(PromptWords, message.Usage.InputTokens);
        Assert.Equal(ReplyWords, message.Usage.OutputTokens);

        var received = Stack.RequestsReceivedBy("oa").Last();
        Assert.Equal("/v1/chat/completions", received.GetProperty("path").GetString());
        using var body = JsonDocument.Parse(received.GetProperty("body").GetString()!);
        Assert.Equal("system", body.RootElement.GetProperty("messages")[0].GetProperty("role").GetString());
        Assert.Equal(64, body.RootElement.GetProperty("max_tokens").GetInt32());
    }

    [Fact]
    public async Task CreateStreaming_OpenAiOnlyModel_TextDeltasAndUsageTranslated()
    {
        var text = new StringBuilder();
        var eventTypes = new List<string>();
        long? inputTokens = null;
        long? outputTokens = null;
        await foreach (var streamEvent in Client().Messages.CreateStreaming(Request("oa")))
        {
            streamEvent.Switch(
                start => eventTypes.Add("message_start"),
                delta =>
                {
                    eventTypes.Add("message_delta");
                    inputTokens = delta.Usage.InputTokens;
                    outputTokens = delta.Usage.OutputTokens;
                },
                stop => eventTypes.Add("message_stop"),
                blockStart => eventTypes.Add("content_block_start"),
                blockDelta =>
                {
                    eventTypes.Add("content_block_delta");
                    if (blockDelta.Delta.TryPickText(out var textDelta))
                    {
                        text.Append(textDelta.Text);
                    }
                },
                blockStop => eventTypes.Add("content_block_stop"));
        }

        Assert.Equal("hello from openai", text.ToString());
        Assert.Equal(
            ["message_start", "content_block_start", "content_block_delta", "content_block_delta", "content_block_delta",
             "content_block_stop", "message_delta", "message_stop"],
            eventTypes);
        Assert.Equal(PromptWords, inputTokens);
        Assert.Equal(ReplyWords, outputTokens);

        var received = Stack.RequestsReceivedBy("oa").Last();
        Assert.Equal("/v1/chat/completions", received.GetProperty("path").GetString());
        Assert.Contains("\"include_usage\":true", received.GetProperty("body").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_NativeModel_ForwardedAsIs()
    {
        var message = await Client().Messages.Create(Request("native"));

        Assert.True(message.Content.Single().TryPickText(out var text));
        Assert.Equal("hello from native", text.Text);
        Assert.Equal(PromptWords, message.Usage.InputTokens);
        Assert.Equal(ReplyWords, message.Usage.OutputTokens);
        var received = Stack.RequestsReceivedBy("native").Last();
        Assert.Equal("/v1/messages", received.GetProperty("path").GetString());
    }

    [Fact]
    public async Task CountTokens_OpenAiOnlyModel_EstimatedWithoutTheUpstream()
    {
        var before = Stack.RequestsReceivedBy("oa").Count;

        var count = await Client().Messages.CountTokens(new MessageCountTokensParams
        {
            Model = "oa",
            System = "be brief",
            Messages = [new UserMessageParam { Content = "say hello please" }],
        });

        // 8 + 16 characters -> 6 tokens.
        Assert.Equal(6, count.InputTokens);
        Assert.Equal(before, Stack.RequestsReceivedBy("oa").Count);
    }

    [Fact]
    public async Task Upstream_OpenAiOnly_RefusesMessagesDirectly()
    {
        // Proves the other tests' answers can only have come from translation.
        using var response = await Stack.Client.PostAsync(
            $"{Stack.FrontDoor}/upstream/oa/v1/messages",
            new StringContent("""{"model":"oa","max_tokens":8,"messages":[{"role":"user","content":"x"}]}""", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Create_UnsupportedBlock_AnthropicError400()
    {
        using var response = await Stack.Client.PostAsync(
            $"{Stack.FrontDoor}/v1/messages",
            new StringContent(
                """{"model":"oa","max_tokens":8,"messages":[{"role":"user","content":[{"type":"document","source":{"type":"text","media_type":"text/plain","data":"x"}}]}]}""",
                Encoding.UTF8,
                "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("error", error.RootElement.GetProperty("type").GetString());
        Assert.Equal("invalid_request_error", error.RootElement.GetProperty("error").GetProperty("type").GetString());
        Assert.Contains("\"document\"", error.RootElement.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
    }
}
