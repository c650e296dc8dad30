using System.ClientModel;
using System.Text.Json;
using LlamaSwap.Tests.TestUpstream;
using OpenAI;
using OpenAI.Chat;

namespace LlamaSwap.Tests.EndToEnd;

/// <summary>
/// A peer on the real request path: auth proxy -> gateway -> a second test upstream standing in
/// for a remote server, with no supervisor involvement, reached by FQN with the OpenAI SDK.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class PeerTests
{
    private const string PeerKey = "sk-peer-remote-key";

    [Fact]
    public async Task Chat_ByFqn_RemoteAnswers_AndSeesItsOwnModelIdAndThePeerKey()
    {
        var recordFile = Path.Combine(Path.GetTempPath(), $"llamaswap-peer-{Guid.NewGuid():N}.jsonl");
        await using var remote = await RunningTestUpstream.StartAsync(
            "--model", "org/remote-model", "--respond", "hello from the peer", "--record-file", recordFile);
        await using var stack = await LlamaSwapStack.StartAsync($$$"""
            startPort: {{startPort}}
            apiKeys: ["{{{LlamaSwapStack.ApiKey}}}"]
            models:
              local:
                cmd: {{{LlamaSwapStack.UpstreamCommand("local")}}}
            peers:
              remote:
                proxy: {{{remote.BaseAddress.ToString().TrimEnd('/')}}}
                apiKey: {{{PeerKey}}}
                models: [org/remote-model]
            """);
        try
        {
            var client = new OpenAIClient(
                new ApiKeyCredential(LlamaSwapStack.ApiKey),
                new OpenAIClientOptions { Endpoint = new Uri(stack.FrontDoor + "/v1"), NetworkTimeout = TimeSpan.FromSeconds(60) });

            ChatCompletion completion = await client.GetChatClient("remote/org/remote-model")
                .CompleteChatAsync([new UserChatMessage("hi peer")]);

            Assert.Equal("hello from the peer", completion.Content[0].Text);
            var recorded = ReadRecords(recordFile).Single(r => r.GetProperty("path").GetString() == "/v1/chat/completions");
            using var body = JsonDocument.Parse(recorded.GetProperty("body").GetString()!);
            Assert.Equal("org/remote-model", body.RootElement.GetProperty("model").GetString());
            Assert.Equal("Bearer " + PeerKey, Header(recorded, "Authorization"));
            Assert.Equal(PeerKey, Header(recorded, "x-api-key"));
            Assert.DoesNotContain(LlamaSwapStack.ApiKey, recorded.GetProperty("headers").GetRawText());

            // A peer is not a local model: nothing was started for it.
            Assert.Equal(0, stack.StartsOf("local"));
        }
        catch (Exception ex) when (ex is not Xunit.Sdk.XunitException)
        {
            throw new InvalidOperationException(stack.Diagnostics(), ex);
        }
        finally
        {
            File.Delete(recordFile);
        }
    }

    private static string? Header(JsonElement record, string name)
        => record.GetProperty("headers").EnumerateObject()
            .FirstOrDefault(h => string.Equals(h.Name, name, StringComparison.OrdinalIgnoreCase)).Value.GetString();

    private static List<JsonElement> ReadRecords(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        var records = new List<JsonElement>();
        while (reader.ReadLine() is { Length: > 0 } line)
        {
            records.Add(JsonDocument.Parse(line).RootElement.Clone());
        }

        return records;
    }
}
