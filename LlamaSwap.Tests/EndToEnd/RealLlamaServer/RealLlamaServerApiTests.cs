using System.Net.Http.Json;
using System.Text.Json;
using LlamaSwap.Tests.Infrastructure;
using OpenAI.Chat;

namespace LlamaSwap.Tests.EndToEnd.RealLlamaServer;

/// <summary>The OpenAI SDK through auth proxy -> gateway -> supervisor -> a real llama-server (both shared builds).</summary>
[Collection(EndToEndCollection.Name)]
public sealed class RealLlamaServerApiTests
{
    [LlamaServerTheory]
    [MemberData(nameof(SharedLlamaServer.Builds), MemberType = typeof(SharedLlamaServer))]
    public async Task Chat_Streaming_Completions_AndEmbeddings_AnswerThroughTheChain(string build)
    {
        await using var stack = await RealLlamaServerStack.StartAsync(build);
        var openAi = RealLlamaServerStack.OpenAi(stack);
        var chat = openAi.GetChatClient("chat");

        ChatCompletion completion = await chat.CompleteChatAsync([new UserChatMessage("hello")], new ChatCompletionOptions { MaxOutputTokenCount = 8 });
        Assert.False(string.IsNullOrEmpty(completion.Content[0].Text), stack.Diagnostics());
        AssertTokenLimit(build, 8, completion.Usage.OutputTokenCount);

        var updates = 0;
        ChatFinishReason? finish = null;
        await foreach (var update in chat.CompleteChatStreamingAsync([new UserChatMessage("count")], new ChatCompletionOptions { MaxOutputTokenCount = 16 }))
        {
            updates += update.ContentUpdate.Count;
            finish ??= update.FinishReason;
        }

        Assert.True(updates >= 8, $"at least 16 tokens arrived in only {updates} content chunks");
        Assert.NotNull(finish);

        // The legacy completions endpoint: the SDK has no client for it, so plain HTTP.
        using var legacy = await stack.Client.PostAsJsonAsync(stack.FrontDoor + "/v1/completions", new { model = "chat", prompt = "Once upon a time", max_tokens = 5 });
        var legacyBody = await legacy.Content.ReadAsStringAsync();
        Assert.True(legacy.IsSuccessStatusCode, legacyBody);
        using (var doc = JsonDocument.Parse(legacyBody))
        {
            Assert.Equal(5, doc.RootElement.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
            Assert.False(string.IsNullOrEmpty(doc.RootElement.GetProperty("choices")[0].GetProperty("text").GetString()));
        }

        var embedding = await openAi.GetEmbeddingClient("embed").GenerateEmbeddingAsync("some text");
        Assert.Equal(64, embedding.Value.ToFloats().Length);
    }

    /// <summary>
    /// The SDK sends <c>max_completion_tokens</c>; b4750 knows only <c>max_tokens</c> and ignores it
    /// (the request still succeeds, generating until the context is full), newer builds honour it.
    /// </summary>
    internal static void AssertTokenLimit(string build, int limit, int generated)
    {
        if (build == SharedLlamaServer.B4750)
        {
            Assert.True(generated > limit, $"b4750 was expected to ignore max_completion_tokens; it generated {generated} tokens");
        }
        else
        {
            Assert.Equal(limit, generated);
        }
    }
}
