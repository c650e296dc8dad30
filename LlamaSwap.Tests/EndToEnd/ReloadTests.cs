using System.Text;
using System.Text.Json;
using LlamaSwap.Core.Processes;
using LlamaSwap.Tests.Infrastructure;

namespace LlamaSwap.Tests.EndToEnd;

/// <summary>Reloading the config (SIGHUP) restarts only what changed; a bad config changes nothing.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class ReloadTests
{
    private static string Yaml(string r1Reply = "one", bool withNewModel = false) => $$$"""
        healthCheckTimeout: 30
        startPort: {{startPort}}
        apiKeys: ["{{{LlamaSwapStack.ApiKey}}}"]
        models:
          r1:
            cmd: {{{LlamaSwapStack.UpstreamCommand("r1", $"--respond {r1Reply}")}}}
          r2:
            cmd: {{{LlamaSwapStack.UpstreamCommand("r2", "--respond 'a b c d e' --chunks 5 --chunk-delay-ms 400")}}}
          r3:
            cmd: {{{LlamaSwapStack.UpstreamCommand("r3", "--respond three")}}}
        {{{(withNewModel ? "  r9:\n    cmd: " + LlamaSwapStack.UpstreamCommand("r9", "--respond nine") : "")}}}
        groups:
          all:
            swap: false
            members: [r1, r2, r3{{{(withNewModel ? ", r9" : "")}}}]
        """;

    [Fact]
    public async Task Reload_OneChangedCmdAndANewModel_RestartsExactlyOneProcess_AndAStreamCompletes()
    {
        await using var stack = await LlamaSwapStack.StartAsync(Yaml());
        foreach (var model in new[] { "r1", "r2", "r3" })
        {
            await ChatAsync(stack, model);
        }

        var pids = new[] { "r1", "r2", "r3" }.ToDictionary(m => m, m => LastStartedPid(stack, m));
        using var stream = await StartStreamAsync(stack, "r2");
        var reader = new StreamReader(await stream.Content.ReadAsStreamAsync());
        var text = new StringBuilder(ContentOf(await NextDataLineAsync(reader)));

        await stack.WriteConfigAsync(Yaml(r1Reply: "changed", withNewModel: true));
        stack.SignalReload();
        await Eventually.TrueAsync(() => stack.Supervisor.Output.Contains("config reloaded", StringComparison.Ordinal), "the supervisor reloaded");
        await Eventually.TrueAsync(() => stack.Gateway.Output.Contains("Reloaded", StringComparison.Ordinal), "the gateway reloaded");
        Assert.DoesNotContain(stack.EventsOf("r2"), e => e.GetProperty("event").GetString() == "stream-end");

        while (await NextDataLineAsync(reader) is { } line && line != "[DONE]")
        {
            text.Append(ContentOf(line));
        }

        Assert.Equal("a b c d e", text.ToString());
        Assert.Equal("changed", await ChatAsync(stack, "r1"));
        Assert.Equal("nine", await ChatAsync(stack, "r9"));
        Assert.Equal(2, stack.StartsOf("r1"));
        Assert.False(ProcFs.IsAlive(pids["r1"]));
        foreach (var kept in new[] { "r2", "r3" })
        {
            Assert.Equal(1, stack.StartsOf(kept));
            Assert.True(ProcFs.IsAlive(pids[kept]), $"{kept} kept its process");
        }
    }

    [Fact]
    public async Task Reload_InvalidConfig_KeepsEveryModelServing_AndLogsEveryError()
    {
        await using var stack = await LlamaSwapStack.StartAsync(Yaml());
        foreach (var model in new[] { "r1", "r2", "r3" })
        {
            await ChatAsync(stack, model);
        }

        await stack.WriteConfigAsync("""
            startPort: -5
            models:
              r1:
                cmd: server --port ${PORT}
                ttl: soon
              r2:
                cmd: server --port ${PORT}
                aliases: [same]
              r3:
                cmd: server --port ${PORT}
                aliases: [same]
            """);
        stack.SignalReload();
        await Eventually.TrueAsync(() => stack.Supervisor.Output.Contains("Refused to reload", StringComparison.Ordinal), "the supervisor refused the config");
        await Eventually.TrueAsync(() => stack.Gateway.Output.Contains("Refused to reload", StringComparison.Ordinal), "the gateway refused the config");

        // The supervisor lists every error; the gateway says it refused the file without repeating them.
        Assert.Contains("startPort", stack.Supervisor.Output);
        Assert.Contains("models.r1.ttl", stack.Supervisor.Output);
        Assert.Contains("duplicate alias same", stack.Supervisor.Output);
        Assert.Contains("listed by the supervisor", stack.Gateway.Output);
        Assert.DoesNotContain("duplicate alias same", stack.Gateway.Output);

        Assert.Equal("one", await ChatAsync(stack, "r1"));
        Assert.Equal("three", await ChatAsync(stack, "r3"));
        Assert.All(new[] { "r1", "r2", "r3" }, m => Assert.Equal(1, stack.StartsOf(m)));
    }

    private static int LastStartedPid(LlamaSwapStack stack, string model)
        => stack.EventsOf(model).Last(e => e.GetProperty("event").GetString() == "started").GetProperty("pid").GetInt32();

    private static async Task<string> ChatAsync(LlamaSwapStack stack, string model)
    {
        var body = $$"""{"model":"{{model}}","messages":[{"role":"user","content":"hi"}]}""";
        using var response = await stack.Client.PostAsync(stack.FrontDoor + "/v1/chat/completions", new StringContent(body, Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{model}: {(int)response.StatusCode} {text}");
        using var doc = JsonDocument.Parse(text);
        return doc.RootElement.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString()!;
    }

    private static async Task<HttpResponseMessage> StartStreamAsync(LlamaSwapStack stack, string model)
    {
        var body = $$"""{"model":"{{model}}","stream":true,"messages":[{"role":"user","content":"hi"}]}""";
        var request = new HttpRequestMessage(HttpMethod.Post, stack.FrontDoor + "/v1/chat/completions")
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        var response = await stack.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.True(response.IsSuccessStatusCode);
        return response;
    }

    private static async Task<string?> NextDataLineAsync(StreamReader reader)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                return line["data: ".Length..];
            }
        }

        return null;
    }

    private static string ContentOf(string? data)
    {
        if (data is null or "[DONE]")
        {
            return "";
        }

        using var doc = JsonDocument.Parse(data);
        var choices = doc.RootElement.GetProperty("choices");
        return choices.GetArrayLength() > 0 && choices[0].GetProperty("delta").TryGetProperty("content", out var content)
            ? content.GetString() ?? ""
            : "";
    }
}
