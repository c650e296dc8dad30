using System.Net;
using System.Text;
using System.Text.Json;
using LlamaSwap.Tests.Infrastructure;

namespace LlamaSwap.Tests.EndToEnd.RealLlamaServer;

/// <summary>A real llama-server that cannot load its model: the client reads llama-server's own reason.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class RealLlamaServerCrashTests
{
    [LlamaServerTheory]
    [MemberData(nameof(SharedLlamaServer.Builds), MemberType = typeof(SharedLlamaServer))]
    public async Task MissingModelFile_The500CarriesLlamaServersFailureLine(string build)
    {
        var missing = Path.Combine(Path.GetTempPath(), $"llamaswap-no-such-model-{Guid.NewGuid():N}.gguf");
        await using var stack = await LlamaSwapStack.StartAsync($$$"""
            healthCheckTimeout: 60
            startPort: {{startPort}}
            apiKeys: ["{{{LlamaSwapStack.ApiKey}}}"]
            models:
              broken:
                cmd: {{{SharedLlamaServer.Binary(build)}}} -m {{{missing}}} --host 127.0.0.1 --port ${PORT} -c 512 -t 1
            """);

        using var response = await stack.Client.PostAsync(
            stack.FrontDoor + "/v1/chat/completions",
            new StringContent("""{"model":"broken","messages":[{"role":"user","content":"hi"}]}""", Encoding.UTF8, "application/json"));
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var message = body.RootElement.GetProperty("error").GetProperty("message").GetString()!;

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.StartsWith("unspecific error: upstream command exited prematurely (", message, StringComparison.Ordinal);

        // b4750 aborts after the failure (SIGABRT), b10309 exits 1. Which of llama-server's own reason
        // lines are among the last ten depends on timing: b4750 prints "failed to open GGUF file" at
        // once and the rest through a logging thread that its abort may cut short (seen under load);
        // when that thread does finish, its "failed to load model" lines push the first one out.
        Assert.Contains(build == SharedLlamaServer.B4750 ? "(killed by signal 6 (SIGABRT)); last output:\n" : "(exit code 1); last output:\n", message, StringComparison.Ordinal);
        Assert.True(
            message.Contains($"gguf_init_from_file: failed to open GGUF file '{missing}'", StringComparison.Ordinal)
                || message.Contains($"failed to load model '{missing}'", StringComparison.Ordinal),
            message);
    }
}
