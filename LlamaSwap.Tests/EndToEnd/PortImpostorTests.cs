using System.Net;
using System.Text;
using System.Text.Json;
using LlamaSwap.Core.Processes;
using LlamaSwap.Tests.Infrastructure;

namespace LlamaSwap.Tests.EndToEnd;

/// <summary>
/// Issue 11: a foreign process listening on a model's <c>${PORT}</c> passed the health check, and
/// clients got its answers. Now the client gets the start failure, naming the port and the process.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class PortImpostorTests
{
    [Fact]
    public async Task Request_ModelPortHeldByAnImpostor_FailsNamingThePort_AndServesOnceItIsGone()
    {
        await using var stack = await LlamaSwapStack.StartAsync($$$"""
            apiKeys: ["{{{LlamaSwapStack.ApiKey}}}"]
            startPort: {{startPort}}
            models:
              alpha:
                cmd: {{{LlamaSwapStack.UpstreamCommand("alpha", "--respond 'the real alpha'")}}}
            """);
        var impostor = ImpostorServer.Start(IPAddress.Loopback, stack.StartPort);

        using (var refused = await PostChatAsync(stack, "alpha"))
        {
            var body = await refused.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.InternalServerError, refused.StatusCode);
            var message = JsonDocument.Parse(body).RootElement.GetProperty("error").GetProperty("message").GetString();
            Assert.Equal(
                $"unspecific error: port localhost:{stack.StartPort} of model \"alpha\" is already in use by another process (pid {Environment.ProcessId}, {ProcFs.CommandName(Environment.ProcessId)})",
                message);
        }

        Assert.Equal(0, impostor.Connections);
        Assert.Equal(0, stack.StartsOf("alpha"));
        Assert.Contains($"port localhost:{stack.StartPort} of model \"alpha\" is already in use", stack.Supervisor.Output, StringComparison.Ordinal);

        // A failed start does not poison the model: with the port free, the next request starts it.
        await impostor.DisposeAsync();
        using var served = await PostChatAsync(stack, "alpha");
        var reply = await served.Content.ReadAsStringAsync();
        Assert.True(served.IsSuccessStatusCode, $"{(int)served.StatusCode} {reply}\n{stack.Diagnostics()}");
        Assert.Contains("the real alpha", reply, StringComparison.Ordinal);
        Assert.DoesNotContain(ImpostorServer.Body, reply, StringComparison.Ordinal);
    }

    private static Task<HttpResponseMessage> PostChatAsync(LlamaSwapStack stack, string model)
        => stack.Client.PostAsync(
            stack.FrontDoor + "/v1/chat/completions",
            new StringContent($$"""{"model":"{{model}}","messages":[{"role":"user","content":"hi"}]}""", Encoding.UTF8, "application/json"));
}
