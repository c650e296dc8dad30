using System.Net.Http.Headers;
using System.Text.Json;
using LlamaSwap.Tests.Infrastructure;

namespace LlamaSwap.Tests.EndToEnd;

/// <summary><c>/api/events</c> through the auth proxy, with the supervisor and gateway as separate processes joined by Redis.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class EventsEndToEndTests
{
    private static string Yaml => $$$"""
        healthCheckTimeout: 30
        startPort: {{startPort}}
        apiKeys: ["{{{LlamaSwapStack.ApiKey}}}"]
        ui:
          activity:
            session_id: [X-Session-ID]
        models:
          evented:
            cmd: {{{LlamaSwapStack.UpstreamCommand("evented", "--respond 'hi' --startup-delay-ms 300")}}}
            aliases: [ev]
          other:
            cmd: {{{LlamaSwapStack.UpstreamCommand("other")}}}
        """;

    [Fact]
    public async Task ModelLoadedByARequestThenUnloaded_StreamShowsStartingReadyStopped()
    {
        await using var stack = await LlamaSwapStack.StartAsync(Yaml);
        await using var events = await EventStreamReader.OpenAsync(stack.Client, stack.FrontDoor + "/api/events");

        await Eventually.TrueAsync(() => events.Has("inflight"), "the connect snapshot arrived", TimeSpan.FromSeconds(20));
        var initialStatus = events.Of("modelStatus").First();
        var initial = JsonDocument.Parse(initialStatus).RootElement;
        Assert.Equal(["evented", "other"], initial.EnumerateArray().Select(m => m.GetProperty("id").GetString()));
        Assert.All(initial.EnumerateArray(), m => Assert.Equal("stopped", m.GetProperty("state").GetString()));
        Assert.Equal(["ev"], initial[0].GetProperty("aliases").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal("""{"activity":{"session_id":["X-Session-ID"]}}""", events.Of("uiConfig").Single());
        Assert.Equal("""{"active":null}""", events.Of("profileChanged").Single());
        Assert.Equal(["logData", "logData", "modelStatus", "uiConfig", "profileChanged", "inflight"], events.Types().Take(6));
        Assert.Equal("""{"operation":"snapshot","requests":[]}""", events.Of("inflight").First());
        Assert.Equal(["proxy", "upstream"], events.Of("logData").Take(2).Select(d => JsonDocument.Parse(d).RootElement.GetProperty("source").GetString()));

        using var chat = await stack.Client.PostAsync(
            stack.FrontDoor + "/v1/chat/completions",
            new StringContent("""{"model":"ev","messages":[{"role":"user","content":"hi"}]}""", System.Text.Encoding.UTF8, "application/json"));
        Assert.True(chat.IsSuccessStatusCode, $"chat failed: {(int)chat.StatusCode}");
        await Eventually.TrueAsync(() => events.StatesOf("evented").Contains("ready"), "ready was streamed", TimeSpan.FromSeconds(20));

        // The request was shown in flight (upsert with its model and path) and then removed; then its activity row id arrived.
        await Eventually.TrueAsync(() => events.Has("activity"), "the activity row was announced", TimeSpan.FromSeconds(20));
        var inflight = events.Of("inflight").Skip(1).Select(d => JsonDocument.Parse(d).RootElement).ToList();
        var upsert = inflight.First(e => e.GetProperty("operation").GetString() == "upsert").GetProperty("request");
        Assert.Equal("/v1/chat/completions", upsert.GetProperty("req_path").GetString());
        // The auth proxy stripped the key before the gateway saw the request.
        Assert.DoesNotContain(LlamaSwapStack.ApiKey, upsert.GetProperty("req_headers").GetRawText(), StringComparison.Ordinal);
        Assert.Equal("remove", inflight.Last().GetProperty("operation").GetString());
        Assert.Equal(upsert.GetProperty("id").GetString(), inflight.Last().GetProperty("id").GetString());
        var activityId = JsonDocument.Parse(events.Of("activity").Single()).RootElement.GetProperty("id").GetInt64();
        Assert.True(activityId >= 1);

        // The upstream's own output travelled supervisor -> Redis -> gateway -> this stream.
        await Eventually.TrueAsync(
            () => events.Of("logData").Skip(2).Any(d => IsLog(d, "upstream", "test upstream evented listening")),
            "the upstream's start-up line arrived as live logData",
            TimeSpan.FromSeconds(20));

        using var unload = await stack.Client.PostAsync(stack.FrontDoor + "/api/models/unload/evented", null);
        Assert.True(unload.IsSuccessStatusCode, $"unload failed: {(int)unload.StatusCode}");
        await Eventually.TrueAsync(() => events.StatesOf("evented").LastOrDefault() == "stopped", "stopped was streamed", TimeSpan.FromSeconds(20));

        // Distinct consecutive states, in order: the whole lifecycle and nothing out of order.
        var states = events.StatesOf("evented");
        var transitions = states.Where((s, i) => i == 0 || states[i - 1] != s).ToList();
        Assert.Equal(["stopped", "starting", "ready", "stopping", "stopped"], transitions);
        Assert.All(events.StatesOf("other"), s => Assert.Equal("stopped", s));
    }

    private static bool IsLog(string data, string source, string text)
    {
        var log = JsonDocument.Parse(data).RootElement;
        return log.GetProperty("source").GetString() == source
            && log.GetProperty("data").GetString()!.Contains(text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EventsResponse_IsAnUnbufferedEventStream()
    {
        await using var stack = await LlamaSwapStack.StartAsync(Yaml);
        using var request = new HttpRequestMessage(HttpMethod.Get, stack.FrontDoor + "/api/events");
        using var response = await stack.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("no", response.Headers.GetValues("X-Accel-Buffering").Single());
        Assert.Equal("no-cache", response.Headers.CacheControl?.ToString());
    }

    [Fact]
    public async Task EventsWithoutAKey_Refused()
    {
        await using var stack = await LlamaSwapStack.StartAsync(Yaml);
        using var anonymous = new HttpClient();
        using var response = await anonymous.GetAsync(stack.FrontDoor + "/api/events");
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, response.StatusCode);
    }

    /// <summary>Reads an SSE stream in the background and decodes llama-swap's double-encoded envelope.</summary>
    private sealed class EventStreamReader : IAsyncDisposable
    {
        private readonly List<(string Type, string Data)> _events = [];
        private readonly CancellationTokenSource _stop = new();
        private HttpResponseMessage? _response;
        private Task? _pump;

        public static async Task<EventStreamReader> OpenAsync(HttpClient client, string url)
        {
            var reader = new EventStreamReader();
            var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
            reader._response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            reader._response.EnsureSuccessStatusCode();
            var stream = await reader._response.Content.ReadAsStreamAsync();
            reader._pump = Task.Run(() => reader.PumpAsync(stream));
            return reader;
        }

        public bool Has(string type) => Of(type).Count > 0;

        public List<string> Types()
        {
            lock (_events)
            {
                return _events.Select(e => e.Type).ToList();
            }
        }

        public List<string> Of(string type)
        {
            lock (_events)
            {
                return _events.Where(e => e.Type == type).Select(e => e.Data).ToList();
            }
        }

        /// <summary>The state of <paramref name="model"/> in every modelStatus event so far.</summary>
        public List<string> StatesOf(string model)
            => Of("modelStatus")
                .Select(data => JsonDocument.Parse(data).RootElement.EnumerateArray()
                    .Single(m => m.GetProperty("id").GetString() == model).GetProperty("state").GetString()!)
                .ToList();

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            _response?.Dispose();
            if (_pump is not null)
            {
                await Task.WhenAny(_pump, Task.Delay(5000));
            }
        }

        private async Task PumpAsync(Stream stream)
        {
            using var reader = new StreamReader(stream);
            string? eventName = null;
            try
            {
                while (await reader.ReadLineAsync(_stop.Token) is { } line)
                {
                    if (line.StartsWith("event:", StringComparison.Ordinal))
                    {
                        eventName = line["event:".Length..];
                    }
                    else if (line.StartsWith("data:", StringComparison.Ordinal))
                    {
                        Assert.Equal("message", eventName);
                        var envelope = JsonDocument.Parse(line["data:".Length..]).RootElement;
                        lock (_events)
                        {
                            _events.Add((envelope.GetProperty("type").GetString()!, envelope.GetProperty("data").GetString()!));
                        }
                    }
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException or IOException or ObjectDisposedException)
            {
                // The test is over and closed the stream.
            }
        }
    }
}
