using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using LlamaSwap.Tests.Infrastructure;

namespace LlamaSwap.Tests.EndToEnd;

/// <summary>Per-key scopes and model globs on the real stack: refused requests never reach an upstream.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class KeyScopesEndToEndTests
{
    private const string ReadKey = "sk-e2e-read-only";
    private const string QwenKey = "sk-e2e-qwen-only";

    private static string Yaml(bool withQwenKey = true) => $$$"""
        healthCheckTimeout: 30
        startPort: {{startPort}}
        apiKeys:
          - "{{{LlamaSwapStack.ApiKey}}}"
          - {key: {{{ReadKey}}}, name: reader, scopes: [read]}
        {{{(withQwenKey ? "  - {key: " + QwenKey + ", name: qwen-user, models: [\"qwen-*\"], scopes: [inference, read]}" : "")}}}
        models:
          qwen-small:
            cmd: {{{LlamaSwapStack.UpstreamCommand("qwen-small", "--respond small")}}}
          llama:
            cmd: {{{LlamaSwapStack.UpstreamCommand("llama", "--respond llama")}}}
        """;

    [Fact]
    public async Task ScopedKeys_RefusedRequestsNeverArrive_AndAReloadRemovingAKeyRefusesIt()
    {
        await using var stack = await LlamaSwapStack.StartAsync(Yaml());

        // A read-only key lists and watches but can neither chat nor unload.
        using (var list = await SendAsync(stack, ReadKey, HttpMethod.Get, "/v1/models"))
        {
            Assert.Equal(["llama", "qwen-small"], await ModelIdsAsync(list));
        }

        await AssertStatusAsync(stack, ReadKey, HttpMethod.Post, "/v1/chat/completions", HttpStatusCode.Forbidden, Chat("qwen-small"));
        await AssertStatusAsync(stack, ReadKey, HttpMethod.Post, "/api/models/unload", HttpStatusCode.Forbidden);
        await AssertStatusAsync(stack, ReadKey, HttpMethod.Get, "/unload", HttpStatusCode.Forbidden);
        await AssertStatusAsync(stack, ReadKey, HttpMethod.Get, "/upstream/qwen-small/health", HttpStatusCode.Forbidden);

        // The qwen key chats with qwen-small only, and sees only it.
        using (var chat = await SendAsync(stack, QwenKey, HttpMethod.Post, "/v1/chat/completions", Chat("qwen-small")))
        {
            var text = await chat.Content.ReadAsStringAsync();
            Assert.True(chat.IsSuccessStatusCode, $"{(int)chat.StatusCode} {text}\n{stack.Diagnostics()}");
            using var doc = JsonDocument.Parse(text);
            Assert.Equal("small", doc.RootElement.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
        }

        using (var refused = await SendAsync(stack, QwenKey, HttpMethod.Post, "/v1/chat/completions", Chat("llama")))
        {
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            using var error = JsonDocument.Parse(await refused.Content.ReadAsStringAsync());
            Assert.Equal("model \"llama\" is not allowed for this key", error.RootElement.GetProperty("error").GetProperty("message").GetString());
        }

        using (var list = await SendAsync(stack, QwenKey, HttpMethod.Get, "/v1/models"))
        {
            Assert.Equal(["qwen-small"], await ModelIdsAsync(list));
        }

        await AssertStatusAsync(stack, QwenKey, HttpMethod.Post, "/api/models/unload", HttpStatusCode.Forbidden);

        // The upstreams' own records: exactly the one admitted chat arrived; llama never even started.
        Assert.Single(stack.RequestsReceivedBy("qwen-small"), r => r.ToString().Contains("chat/completions", StringComparison.Ordinal));
        Assert.Empty(stack.RequestsReceivedBy("llama"));
        Assert.Equal(0, stack.StartsOf("llama"));
        Assert.Equal(["qwen-small"], await stack.RunningAsync());

        // Reload without the qwen key: refused on the next request; the other keys keep working.
        await stack.WriteConfigAsync(Yaml(withQwenKey: false));
        stack.SignalReload();
        await Eventually.TrueAsync(() => stack.AuthProxy.Output.Contains("Reloaded", StringComparison.Ordinal), "the auth proxy reloaded");

        await AssertStatusAsync(stack, QwenKey, HttpMethod.Post, "/v1/chat/completions", HttpStatusCode.Unauthorized, Chat("qwen-small"));
        await AssertStatusAsync(stack, ReadKey, HttpMethod.Get, "/running", HttpStatusCode.OK);
        Assert.Single(stack.RequestsReceivedBy("qwen-small"), r => r.ToString().Contains("chat/completions", StringComparison.Ordinal));
    }

    private static string Chat(string model) => $$"""{"model":"{{model}}","messages":[{"role":"user","content":"hi"}]}""";

    private static async Task<HttpResponseMessage> SendAsync(LlamaSwapStack stack, string key, HttpMethod method, string path, string? json = null)
    {
        using var request = new HttpRequestMessage(method, stack.FrontDoor + path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
        var response = await client.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        return response;
    }

    private static async Task AssertStatusAsync(LlamaSwapStack stack, string key, HttpMethod method, string path, HttpStatusCode expected, string? json = null)
    {
        using var response = await SendAsync(stack, key, method, path, json);
        Assert.True(response.StatusCode == expected, $"{method} {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    private static async Task<List<string>> ModelIdsAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return doc.RootElement.GetProperty("data").EnumerateArray().Select(e => e.GetProperty("id").GetString()!).ToList();
    }
}
