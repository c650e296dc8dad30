using System.Net;
using System.Text;
using System.Text.Json;
using LlamaSwap.Tests.Infrastructure;

namespace LlamaSwap.Tests.EndToEnd;

/// <summary>
/// An upstream that dies tells the client why: its exit code or signal and its last lines, after
/// llama-swap's own text, in the plain 500, inside a loading stream, and in the supervisor's log
/// when it dies while serving.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class UpstreamCrashTests
{
    private static string Yaml => $$$"""
        healthCheckTimeout: 30
        startPort: {{startPort}}
        apiKeys: ["{{{LlamaSwapStack.ApiKey}}}"]
        models:
          oom:
            cmd: |
              {{{LlamaSwapStack.UpstreamCommand("oom", "--stderr-line 'loading model' --stderr-line 'CUDA error: out of memory' --exit-at-start 1")}}}
          killed:
            cmd: |
              {{{LlamaSwapStack.UpstreamCommand("killed", "--stderr-line 'allocating 80 GiB' --sigkill-at-start")}}}
          oom-slowly:
            sendLoadingState: true
            cmd: |
              {{{LlamaSwapStack.UpstreamCommand("oom-slowly", "--startup-delay-ms 1500 --stderr-line 'CUDA error: out of memory' --exit-at-start 1")}}}
          flaky:
            cmd: |
              {{{LlamaSwapStack.UpstreamCommand("flaky", "--stderr-line 'ggml: device lost' --exit-on-request 3")}}}
        """;

    [Fact]
    public async Task StartFailure_Plain500_CarriesTheExitCodeOrSignal_AndTheLastLines()
    {
        await using var stack = await LlamaSwapStack.StartAsync(Yaml);

        var (oomStatus, oomMessage) = await ChatErrorAsync(stack, "oom");
        var (killedStatus, killedMessage) = await ChatErrorAsync(stack, "killed");

        Assert.Equal(HttpStatusCode.InternalServerError, oomStatus);
        Assert.Equal("unspecific error: upstream command exited prematurely (exit code 1); last output:\nloading model\nCUDA error: out of memory", oomMessage);
        Assert.Equal(HttpStatusCode.InternalServerError, killedStatus);
        Assert.Equal("unspecific error: upstream command exited prematurely (killed by signal 9 (SIGKILL)); last output:\nallocating 80 GiB", killedMessage);
    }

    [Fact]
    public async Task StartFailure_InsideALoadingStream_TheErrorEventCarriesTheLastLines()
    {
        await using var stack = await LlamaSwapStack.StartAsync(Yaml);
        var body = """{"model":"oom-slowly","stream":true,"messages":[{"role":"user","content":"hi"}]}""";
        using var request = new HttpRequestMessage(HttpMethod.Post, stack.FrontDoor + "/v1/chat/completions")
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };

        using var response = await stack.Client.SendAsync(request);
        var events = (await response.Content.ReadAsStringAsync())
            .Split("\n\n", StringSplitOptions.RemoveEmptyEntries)
            .Select(e => e.StartsWith("data: ", StringComparison.Ordinal) ? e["data: ".Length..] : e)
            .ToList();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(events, e => e.Contains("llama-swap loading model: oom-slowly", StringComparison.Ordinal));
        var error = Assert.Single(events, e => e.Contains("\"error\"", StringComparison.Ordinal));
        using var envelope = JsonDocument.Parse(error);
        Assert.Equal(
            "unspecific error: upstream command exited prematurely (exit code 1); last output:\nCUDA error: out of memory",
            envelope.RootElement.GetProperty("error").GetProperty("message").GetString());
        Assert.Equal("[DONE]", events[^1]);
    }

    [Fact]
    public async Task CrashWhileServing_Answers502_AndTheSupervisorLogsTheExitCodeAndLastLines()
    {
        await using var stack = await LlamaSwapStack.StartAsync(Yaml);

        using var response = await stack.Client.PostAsync(
            stack.FrontDoor + "/v1/chat/completions",
            new StringContent("""{"model":"flaky","messages":[{"role":"user","content":"hi"}]}""", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        await Eventually.TrueAsync(
            () => stack.Supervisor.Output.Contains("flaky: upstream process exited unexpectedly (exit code 3); last output:", StringComparison.Ordinal),
            "the supervisor logged how the upstream ended");
        var output = stack.Supervisor.Output;
        Assert.Contains("ggml: device lost", output, StringComparison.Ordinal);
        Assert.Contains("test upstream exiting with code 3 during /v1/chat/completions", output, StringComparison.Ordinal);
    }

    private static async Task<(HttpStatusCode Status, string? Message)> ChatErrorAsync(LlamaSwapStack stack, string model)
    {
        using var response = await stack.Client.PostAsync(
            stack.FrontDoor + "/v1/chat/completions",
            new StringContent($$"""{"model":"{{model}}","messages":[{"role":"user","content":"hi"}]}""", Encoding.UTF8, "application/json"));
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return (response.StatusCode, body.RootElement.GetProperty("error").GetProperty("message").GetString());
    }
}
