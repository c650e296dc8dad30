using System.ClientModel;
using LlamaSwap.Tests.Infrastructure;
using OpenAI;

namespace LlamaSwap.Tests.EndToEnd.RealLlamaServer;

/// <summary>
/// A <see cref="LlamaSwapStack"/> whose models run a shared llama-server build with default flags:
/// <c>chat</c> and <c>other</c> in an exclusive swap group (<c>other</c> with a single HTTP thread,
/// which any connection of ours left open after a health probe would hold: the first forwarded
/// request would then wait out llama-server's 5 s keep-alive), <c>embed</c> (64-dimensional mean-pooled
/// embeddings), <c>long</c> (a 4096-token context, for streams that last seconds) and
/// <c>short-ttl</c> (ttl 1 s) outside it (so loading the pair unloads them).
/// </summary>
internal static class RealLlamaServerStack
{
    public static Task<LlamaSwapStack> StartAsync(string build)
        => LlamaSwapStack.StartAsync($$$"""
            healthCheckTimeout: 60
            startPort: {{startPort}}
            apiKeys: ["{{{LlamaSwapStack.ApiKey}}}"]
            models:
              chat:
                cmd: {{{SharedLlamaServer.Command(build)}}}
              other:
                cmd: {{{SharedLlamaServer.Command(build, "--threads-http 1")}}}
              embed:
                cmd: {{{SharedLlamaServer.Command(build, "--embeddings --pooling mean")}}}
              long:
                cmd: {{{SharedLlamaServer.Command(build, "-c 4096")}}}
              short-ttl:
                cmd: {{{SharedLlamaServer.Command(build)}}}
                ttl: 1
            groups:
              pair:
                swap: true
                exclusive: true
                members: [chat, other]
            """);

    public static OpenAIClient OpenAi(LlamaSwapStack stack) => new(
        new ApiKeyCredential(LlamaSwapStack.ApiKey),
        new OpenAIClientOptions { Endpoint = new Uri(stack.FrontDoor + "/v1"), NetworkTimeout = TimeSpan.FromSeconds(60) });

    /// <summary>The llama-server processes the stack's supervisor runs now.</summary>
    public static List<int> LlamaServers(LlamaSwapStack stack)
        => [.. ProcessTree.Descendants(stack.Supervisor.Pid).Where(pid => ProcessTree.CommandLine(pid).Contains("llama-server", StringComparison.Ordinal))];

    /// <summary>The llama-server started for <paramref name="model"/> (found by its <c>--port</c>), if one runs.</summary>
    public static int? LlamaServerOf(LlamaSwapStack stack, string model)
        => LlamaServers(stack).Where(pid => ProcessTree.CommandLine(pid).Contains(PortArgument(stack, model), StringComparison.Ordinal)).Cast<int?>().SingleOrDefault();

    /// <summary>
    /// Every llama-server on <paramref name="model"/>'s port, whoever started it: one a supervisor
    /// adopted from its crashed predecessor is no child of it.
    /// </summary>
    public static List<int> AnyLlamaServerOf(LlamaSwapStack stack, string model)
        => [.. ProcessTree.WithCommandLine(PortArgument(stack, model)).Where(pid => ProcessTree.CommandLine(pid).Contains("llama-server", StringComparison.Ordinal))];

    private static string PortArgument(LlamaSwapStack stack, string model)
    {
        // ${PORT} is handed out from startPort in ordinal model-ID order.
        string[] ids = ["chat", "embed", "long", "other", "short-ttl"];
        return $"--port {stack.StartPort + Array.IndexOf(ids, model)} ";
    }
}
