using System.Net;
using System.Text;
using System.Text.Json;
using LlamaSwap.Core.Processes;
using LlamaSwap.Tests.Infrastructure;

namespace LlamaSwap.Tests.EndToEnd.RealLlamaServer;

/// <summary>Issue 11 with the real llama-server: an impostor on a model's port gets no request, the client gets the reason.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class RealLlamaServerPortTests
{
    [LlamaServerTheory]
    [MemberData(nameof(SharedLlamaServer.Builds), MemberType = typeof(SharedLlamaServer))]
    public async Task Chat_ModelPortHeldByAnImpostor_FailsNamingThePort_AndLlamaServerServesOnceItIsGone(string build)
    {
        await using var stack = await RealLlamaServerStack.StartAsync(build);

        // "chat" is the first model in ID order, so ${PORT} gave it startPort.
        var impostor = ImpostorServer.Start(IPAddress.Loopback, stack.StartPort);
        using (var refused = await PostChatAsync(stack))
        {
            var body = await refused.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.InternalServerError, refused.StatusCode);
            Assert.Equal(
                $"unspecific error: port localhost:{stack.StartPort} of model \"chat\" is already in use by another process (pid {Environment.ProcessId}, {ProcFs.CommandName(Environment.ProcessId)})",
                JsonDocument.Parse(body).RootElement.GetProperty("error").GetProperty("message").GetString());
        }

        Assert.Equal(0, impostor.Connections);
        Assert.Null(RealLlamaServerStack.LlamaServerOf(stack, "chat"));

        await impostor.DisposeAsync();
        using var served = await PostChatAsync(stack);
        var reply = await served.Content.ReadAsStringAsync();
        Assert.True(served.IsSuccessStatusCode, $"{(int)served.StatusCode} {reply}\n{stack.Diagnostics()}");
        Assert.Equal("chat.completion", JsonDocument.Parse(reply).RootElement.GetProperty("object").GetString());
        Assert.NotNull(RealLlamaServerStack.LlamaServerOf(stack, "chat"));
    }

    private static Task<HttpResponseMessage> PostChatAsync(LlamaSwapStack stack)
        => stack.Client.PostAsync(
            stack.FrontDoor + "/v1/chat/completions",
            new StringContent("""{"model":"chat","messages":[{"role":"user","content":"hi"}],"max_tokens":1}""", Encoding.UTF8, "application/json"));
}
