using System.ClientModel;
using System.Text;
using System.Text.Json;
using OpenAI;
using OpenAI.Chat;

namespace LlamaSwap.Tests.EndToEnd;

/// <summary><c>sendLoadingState</c> through the whole chain, with the official OpenAI SDK as a strict client.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class LoadingStateTests
{
    private static string Yaml => $$$"""
        healthCheckTimeout: 30
        startPort: {{startPort}}
        sendLoadingState: true
        apiKeys: ["{{{LlamaSwapStack.ApiKey}}}"]
        models:
          busy:
            cmd: {{{LlamaSwapStack.UpstreamCommand("busy", "--respond 'a b c d e' --chunks 5 --chunk-delay-ms 400")}}}
          cold:
            cmd: {{{LlamaSwapStack.UpstreamCommand("cold", "--respond 'warmed up' --startup-delay-ms 800")}}}
        """;

    [Fact]
    public async Task ColdModel_OpenAiSdkStreamsTheReply_AcceptingTheLoadingChunks()
    {
        await using var stack = await LlamaSwapStack.StartAsync(Yaml);
        var client = new OpenAIClient(new ApiKeyCredential(LlamaSwapStack.ApiKey), new OpenAIClientOptions { Endpoint = new Uri(stack.FrontDoor + "/v1") });

        var text = new StringBuilder();
        await foreach (var update in client.GetChatClient("cold").CompleteChatStreamingAsync([new UserChatMessage("hi")]))
        {
            foreach (var part in update.ContentUpdate)
            {
                text.Append(part.Text);
            }
        }

        Assert.Equal("warmed up", text.ToString());
    }

    [Fact]
    public async Task QueuedBehindABusyModel_LoadingTextShowsTheQueuePosition_ThenTheReply()
    {
        await using var stack = await LlamaSwapStack.StartAsync(Yaml);
        using var busy = await StreamAsync(stack, "busy");
        using var busyReader = new StreamReader(await busy.Content.ReadAsStreamAsync());
        Assert.NotNull(await busyReader.ReadLineAsync());

        using var queued = await StreamAsync(stack, "cold");
        var reasoning = new StringBuilder();
        var content = new StringBuilder();
        using var reader = new StreamReader(await queued.Content.ReadAsStreamAsync());
        while (await reader.ReadLineAsync() is { } line)
        {
            if (!line.StartsWith("data: {", StringComparison.Ordinal))
            {
                continue;
            }

            using var chunk = JsonDocument.Parse(line["data: ".Length..]);
            var choices = chunk.RootElement.GetProperty("choices");
            if (choices.GetArrayLength() == 0)
            {
                continue;
            }

            var delta = choices[0].GetProperty("delta");
            if (delta.TryGetProperty("reasoning_content", out var r))
            {
                reasoning.Append(r.GetString());
            }

            if (delta.TryGetProperty("content", out var c))
            {
                content.Append(c.GetString());
            }
        }

        Assert.Contains("llama-swap loading model: cold", reasoning.ToString());
        Assert.Contains("Queue position: #1", reasoning.ToString());
        Assert.Contains("Done! (", reasoning.ToString());
        Assert.Equal("warmed up", content.ToString());
    }

    private static async Task<HttpResponseMessage> StreamAsync(LlamaSwapStack stack, string model)
    {
        var body = $$"""{"model":"{{model}}","stream":true,"messages":[{"role":"user","content":"hi"}]}""";
        var request = new HttpRequestMessage(HttpMethod.Post, stack.FrontDoor + "/v1/chat/completions") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        var response = await stack.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.True(response.IsSuccessStatusCode);
        return response;
    }
}
