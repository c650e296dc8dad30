namespace LlamaSwap.Tests.EndToEnd;

/// <summary>One stack with a config that covers the request-path tests, started once for the collection.</summary>
public sealed class SharedStackFixture : IAsyncLifetime
{
    private LlamaSwapStack? _stack;

    internal LlamaSwapStack Stack => _stack ?? throw new InvalidOperationException("stack not started");

    internal static string Yaml => $$$"""
        healthCheckTimeout: 30
        startPort: {{startPort}}
        apiKeys:
          - "{{{LlamaSwapStack.ApiKey}}}"
        models:
          chat-a:
            cmd: {{{LlamaSwapStack.UpstreamCommand("chat-a", "--respond 'hello from a'")}}}
            aliases: [gpt-a]
          chat-b:
            cmd: {{{LlamaSwapStack.UpstreamCommand("chat-b", "--respond 'hello from b'")}}}
          chat-c:
            cmd: {{{LlamaSwapStack.UpstreamCommand("chat-c", "--respond 'hello from c' --startup-delay-ms 300")}}}
          slow-stream:
            cmd: {{{LlamaSwapStack.UpstreamCommand("slow-stream", "--respond 'one two three four five' --chunks 5 --chunk-delay-ms 300")}}}
          embed:
            cmd: {{{LlamaSwapStack.UpstreamCommand("embed")}}}
          pair-x:
            cmd: {{{LlamaSwapStack.UpstreamCommand("pair-x")}}}
          pair-y:
            cmd: {{{LlamaSwapStack.UpstreamCommand("pair-y")}}}
          limited:
            cmd: {{{LlamaSwapStack.UpstreamCommand("limited", "--startup-delay-ms 1500")}}}
            concurrencyLimit: 10
          short-ttl:
            cmd: {{{LlamaSwapStack.UpstreamCommand("short-ttl")}}}
            ttl: 1
          with-cmdstop:
            cmd: {{{LlamaSwapStack.UpstreamCommand("with-cmdstop")}}}
            cmdStop: sh -c "echo stopped > {{dir}}/cmdstop.marker; kill -TERM ${PID}"
          stubborn:
            cmd: {{{LlamaSwapStack.UpstreamCommand("stubborn", "--ignore-sigterm")}}}
            unloadTimeout: 1
        groups:
          main:
            members: [chat-a, chat-b, chat-c, slow-stream, limited, short-ttl, with-cmdstop, stubborn]
          pair:
            swap: false
            members: [pair-x, pair-y]
          always:
            persistent: true
            swap: false
            exclusive: false
            members: [embed]
        """;

    public async Task InitializeAsync() => _stack = await LlamaSwapStack.StartAsync(Yaml, portCount: 12);

    public async Task DisposeAsync()
    {
        if (_stack is not null)
        {
            await _stack.DisposeAsync();
        }
    }
}
