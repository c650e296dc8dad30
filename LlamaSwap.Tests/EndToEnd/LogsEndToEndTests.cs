using System.Net;
using System.Net.Http.Headers;
using System.Text;
using LlamaSwap.Tests.Infrastructure;

namespace LlamaSwap.Tests.EndToEnd;

/// <summary>
/// The log endpoints over the real stack: upstream output captured by the supervisor reaches the
/// gateway (a separate process) through Redis, and the front door serves it.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class LogsEndToEndTests(LogsEndToEndTests.LogsStack fixture) : IClassFixture<LogsEndToEndTests.LogsStack>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    private LlamaSwapStack Stack => fixture.Stack;

    [Fact]
    public async Task ModelStream_AfterARequestLoadedTheModel_ShowsItsOutput_AndSoDoesTheUpstreamStream()
    {
        await ChatAsync("log-a");

        var model = await ReadStreamUntilAsync("/logs/stream/log-a", "test upstream log-a listening");
        var upstream = await ReadStreamUntilAsync("/logs/stream/upstream", "test upstream log-a listening");

        Assert.Contains("test upstream log-a listening", model, StringComparison.Ordinal);
        Assert.DoesNotContain("test upstream log-b", model, StringComparison.Ordinal);
        Assert.Contains("test upstream log-a listening", upstream, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ModelStream_IdWithASlashOrItsAlias_ShowsThatModelsOutput()
    {
        await ChatAsync("org/log-b");

        var byId = await ReadStreamUntilAsync("/logs/stream/org/log-b", "test upstream log-b listening");
        var byAlias = await ReadStreamUntilAsync("/logs/stream/b-alias", "test upstream log-b listening");

        Assert.DoesNotContain("test upstream log-a", byId, StringComparison.Ordinal);
        Assert.DoesNotContain("test upstream log-a", byAlias, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StreamWithNoHistory_ShowsOnlyLinesWrittenAfterConnecting()
    {
        await ChatAsync("log-a");
        await ReadStreamUntilAsync("/logs/stream/upstream", "test upstream log-a listening");
        using var timeout = new CancellationTokenSource(Deadline);

        // Straight to the gateway: the auth proxy's forwarder sends response headers with the first
        // body bytes, and an empty stream has none, so the front door would only answer after the
        // line this test is about to cause - too late to know the subscription came first.
        using var gateway = new HttpClient();
        using var response = await gateway.GetAsync(Stack.Gateway.Url + "/logs/stream/upstream?no-history", HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        await ChatAsync("log-fresh");
        var text = await ReadUntilAsync(response, "test upstream log-fresh listening", timeout.Token);

        Assert.DoesNotContain("test upstream log-a", text, StringComparison.Ordinal);
        Assert.StartsWith("test upstream log-fresh listening", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stream_SendsPlainTextStreamingHeaders()
    {
        using var timeout = new CancellationTokenSource(Deadline);
        using var response = await Stack.Client.GetAsync(Stack.FrontDoor + "/logs/stream", HttpCompletionOption.ResponseHeadersRead, timeout.Token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("nosniff", string.Join(",", response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("no", string.Join(",", response.Headers.GetValues("X-Accel-Buffering")));
    }

    [Fact]
    public async Task ProxyStream_ShowsTheGatewaysOwnLines()
    {
        var text = await ReadStreamUntilAsync("/logs/stream/proxy", "Loaded config");

        Assert.Contains("[INFO] Loaded config", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Logs_WithProxyRouting_HoldsTheGatewaysLinesButNoUpstreamOutput()
    {
        await ChatAsync("log-a");
        await ReadStreamUntilAsync("/logs/stream/upstream", "test upstream log-a listening");

        using var response = await Stack.Client.GetAsync(Stack.FrontDoor + "/logs");
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("[INFO] Loaded config", text, StringComparison.Ordinal);
        Assert.DoesNotContain("test upstream", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Logs_FromABrowser_RedirectsToTheUi()
    {
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", LlamaSwapStack.ApiKey);
        client.DefaultRequestHeaders.Accept.ParseAdd("text/html,application/xhtml+xml");

        using var response = await client.GetAsync(Stack.FrontDoor + "/logs");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/ui/", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task Stream_UnknownLogger_Is400()
    {
        using var response = await Stack.Client.GetAsync(Stack.FrontDoor + "/logs/stream/no-such-model");
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("invalid logger. Use 'proxy', 'upstream' or a model's ID", body, StringComparison.Ordinal);
    }

    private async Task ChatAsync(string model)
    {
        var body = $$"""{"model":"{{model}}","messages":[{"role":"user","content":"hi"}]}""";
        using var response = await Stack.Client.PostAsync(Stack.FrontDoor + "/v1/chat/completions", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.True(response.IsSuccessStatusCode, $"{model}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>Opens a log stream (with its history) and reads until <paramref name="expected"/> appears.</summary>
    private async Task<string> ReadStreamUntilAsync(string path, string expected)
    {
        using var timeout = new CancellationTokenSource(Deadline);
        using var response = await Stack.Client.GetAsync(Stack.FrontDoor + path, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await ReadUntilAsync(response, expected, timeout.Token);
    }

    private async Task<string> ReadUntilAsync(HttpResponseMessage response, string expected, CancellationToken cancellationToken)
    {
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        var text = new StringBuilder();
        var buffer = new byte[8192];
        try
        {
            while (!text.ToString().Contains(expected, StringComparison.Ordinal))
            {
                var read = await stream.ReadAsync(buffer, cancellationToken);
                if (read == 0)
                {
                    break;
                }

                text.Append(Encoding.UTF8.GetString(buffer, 0, read));
            }
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"'{expected}' did not appear within {Deadline}; got:\n{text}\n{Stack.Diagnostics()}");
        }

        Assert.Contains(expected, text.ToString(), StringComparison.Ordinal);
        return text.ToString();
    }

    /// <summary>A stack of its own: a model ID with a slash, and models no other test loads.</summary>
    public sealed class LogsStack : IAsyncLifetime
    {
        private LlamaSwapStack? _stack;

        internal LlamaSwapStack Stack => _stack ?? throw new InvalidOperationException("stack not started");

        public async Task InitializeAsync() => _stack = await LlamaSwapStack.StartAsync($$$"""
            healthCheckTimeout: 30
            startPort: {{startPort}}
            apiKeys: ["{{{LlamaSwapStack.ApiKey}}}"]
            models:
              log-a:
                cmd: {{{LlamaSwapStack.UpstreamCommand("log-a")}}}
              org/log-b:
                cmd: {{{LlamaSwapStack.UpstreamCommand("log-b")}}}
                aliases: [b-alias]
              log-fresh:
                cmd: {{{LlamaSwapStack.UpstreamCommand("log-fresh")}}}
            groups:
              all:
                swap: false
                members: [log-a, org/log-b, log-fresh]
            """);

        public async Task DisposeAsync()
        {
            if (_stack is not null)
            {
                await _stack.DisposeAsync();
            }
        }
    }
}
