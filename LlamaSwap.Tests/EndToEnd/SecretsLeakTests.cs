using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using LlamaSwap.Tests.Gateway.Support;
using LlamaSwap.Tests.Infrastructure;
using LlamaSwap.Tests.TestUpstream;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace LlamaSwap.Tests.EndToEnd;

/// <summary>
/// A run with known secrets (client keys as Bearer, x-api-key and Basic; a peer's apiKey), then a
/// search of everything the services wrote: their output, /logs and /logs/stream, the events
/// snapshot, activity rows, every capture, the files in the work directory and every OTLP export.
/// The peer key legitimately reaches the peer itself; none of it may appear in what LlamaSwap writes.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class SecretsLeakTests
{
    private const string BearerKey = LlamaSwapStack.ApiKey;
    private const string HeaderKey = "sk-leak-header-7f3a9c";
    private const string BasicKey = "sk-leak-basic-51d2e8";
    private const string PeerKey = "sk-leak-peer-c04b66";
    private const string Model = "local";

    [Fact]
    public async Task KnownSecrets_AppearNowhereTheServicesWrote()
    {
        var otlp = new ConcurrentQueue<(string Path, byte[] Body)>();
        var (collector, collectorUrl) = await LoopbackServer.StartAsync(app => app.MapPost("/v1/{signal}", async (HttpContext context) =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            otlp.Enqueue((context.Request.Path.Value!, body.ToArray()));
        }));
        var peerRecord = Path.Combine(Path.GetTempPath(), $"llamaswap-leak-peer-{Guid.NewGuid():N}.jsonl");
        await using var peer = await RunningTestUpstream.StartAsync("--model", "org/remote", "--respond", "peer reply", "--record-file", peerRecord);
        await using var stack = await LlamaSwapStack.StartAsync($$$"""
            healthCheckTimeout: 30
            startPort: {{startPort}}
            captureBuffer: 5
            apiKeys: ["{{{BearerKey}}}", "{{{HeaderKey}}}", "{{{BasicKey}}}"]
            models:
              {{{Model}}}:
                cmd: {{{LlamaSwapStack.UpstreamCommand(Model, "--respond 'local reply'")}}}
            peers:
              remote:
                proxy: {{{peer.BaseAddress.ToString().TrimEnd('/')}}}
                apiKey: {{{PeerKey}}}
                models: [org/remote]
            """, portCount: 3, new Dictionary<string, string>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = collectorUrl,

            // The stubs speak OTLP/HTTP; the exporter's default (what Aspire's dashboard takes) is gRPC.
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
            ["OTEL_BLRP_SCHEDULE_DELAY"] = "200",
            ["OTEL_METRIC_EXPORT_INTERVAL"] = "1000",
            ["Logging__LogLevel__Default"] = "Debug",
        });
        try
        {
            var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes("user:" + BasicKey));
            await SendAsync(stack, HttpMethod.Post, "/v1/chat/completions", Model, h => h.Authorization = new("Bearer", BearerKey));
            await SendAsync(stack, HttpMethod.Post, "/v1/chat/completions", Model, h => h.Add("x-api-key", HeaderKey));
            await SendAsync(stack, HttpMethod.Post, "/v1/chat/completions", Model, h => h.Authorization = new("Basic", basic));
            await SendAsync(stack, HttpMethod.Post, "/v1/chat/completions", "remote/org/remote", h => h.Authorization = new("Bearer", BearerKey));
            await SendAsync(stack, HttpMethod.Get, "/running", null, h => h.Authorization = new("Basic", basic));

            // Refused requests carrying real keys are logged too: the refusals must not echo them.
            await SendAsync(stack, HttpMethod.Get, "/v1/models", null, h => { h.Authorization = new("Bearer", BearerKey); h.Add("x-api-key", HeaderKey); }, expectSuccess: false);
            await SendAsync(stack, HttpMethod.Get, "/health%2f..%2frunning", null, h => h.Add("x-api-key", HeaderKey), expectSuccess: false);

            // The peer received its key: the secret is real, not a typo that trivially never appears.
            Assert.Contains(PeerKey, await File.ReadAllTextAsync(peerRecord));

            await Eventually.TrueAsync(
                () => otlp.Any(e => e.Path == "/v1/traces" && Contains(e.Body, "LlamaSwap.AuthProxy")) && otlp.Any(e => e.Path == "/v1/logs"),
                "the services exported traces and logs", TimeSpan.FromSeconds(30));

            var written = new List<(string Where, byte[] Bytes)>
            {
                ("supervisor output", Encoding.UTF8.GetBytes(stack.Supervisor.Output)),
                ("gateway output", Encoding.UTF8.GetBytes(stack.Gateway.Output)),
                ("auth proxy output", Encoding.UTF8.GetBytes(stack.AuthProxy.Output)),
                ("/logs", await GetBytesAsync(stack, "/logs")),
                ("/logs/stream history", await ReadStreamAsync(stack, "/logs/stream", untilBytes: 1)),
                ("/api/events snapshot", await ReadStreamAsync(stack, "/api/events", untilBytes: 1)),
            };
            var activity = await GetBytesAsync(stack, "/api/metrics/activity?limit=999");
            written.Add(("/api/metrics/activity", activity));
            using (var rows = JsonDocument.Parse(activity))
            {
                var ids = rows.RootElement.GetProperty("data").EnumerateArray().Select(r => r.GetProperty("id").GetInt64()).ToList();
                Assert.True(ids.Count >= 4, $"activity has the chats: {ids.Count} rows");
                foreach (var id in ids)
                {
                    written.Add(($"/api/captures/{id}", await GetBytesAsync(stack, $"/api/captures/{id}", allowNotFound: true)));
                }
            }

            foreach (var file in Directory.EnumerateFiles(stack.WorkDirectory, "*", SearchOption.AllDirectories))
            {
                // The config holds the keys by design; the upstream's own record is the upstream's, not LlamaSwap's.
                if (file != stack.ConfigPath && !file.EndsWith(".requests.jsonl", StringComparison.Ordinal))
                {
                    written.Add((file, await File.ReadAllBytesAsync(file)));
                }
            }

            written.AddRange(otlp.Select(e => ($"OTLP {e.Path}", e.Body)));

            var secrets = new Dictionary<string, string>
            {
                ["Bearer key"] = BearerKey,
                ["x-api-key key"] = HeaderKey,
                ["Basic key"] = BasicKey,
                ["Basic credentials (base64)"] = basic,
                ["peer key"] = PeerKey,
                ["peer key (base64)"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(PeerKey)),
                ["Bearer key (base64)"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(BearerKey)),
            };
            var leaks = (from w in written from s in secrets where Contains(w.Bytes, s.Value) select $"{s.Key} found in {w.Where}").ToList();
            Assert.True(written.Sum(w => w.Bytes.Length) > 10_000, "something substantial was searched");
            Assert.True(leaks.Count == 0, "leaks:\n" + string.Join("\n", leaks));
        }
        finally
        {
            await collector.DisposeAsync();
            File.Delete(peerRecord);
        }
    }

    private static bool Contains(byte[] haystack, string needle) => haystack.AsSpan().IndexOf(Encoding.UTF8.GetBytes(needle)) >= 0;

    private static async Task SendAsync(LlamaSwapStack stack, HttpMethod method, string path, string? model, Action<HttpRequestHeaders> auth, bool expectSuccess = true)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
        using var request = new HttpRequestMessage(method, new Uri(stack.FrontDoor + path, UriKind.Absolute));
        if (model is not null)
        {
            request.Content = new StringContent($$"""{"model":"{{model}}","messages":[{"role":"user","content":"hi"}]}""", Encoding.UTF8, "application/json");
        }

        auth(request.Headers);
        using var response = await client.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode == expectSuccess, $"{method} {path} -> {(int)response.StatusCode}\n{stack.Diagnostics()}");
    }

    private static async Task<byte[]> GetBytesAsync(LlamaSwapStack stack, string path, bool allowNotFound = false)
    {
        using var response = await stack.Client.GetAsync(stack.FrontDoor + path);
        if (allowNotFound && response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return [];
        }

        Assert.True(response.IsSuccessStatusCode, $"GET {path} -> {(int)response.StatusCode}");
        return await response.Content.ReadAsByteArrayAsync();
    }

    /// <summary>What a stream sends first (its history or snapshot), read for a bounded time.</summary>
    private static async Task<byte[]> ReadStreamAsync(LlamaSwapStack stack, string path, int untilBytes)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(3));
        using var response = await stack.Client.GetAsync(stack.FrontDoor + path, HttpCompletionOption.ResponseHeadersRead);
        Assert.True(response.IsSuccessStatusCode, $"GET {path} -> {(int)response.StatusCode}");
        await using var stream = await response.Content.ReadAsStreamAsync();
        var received = new MemoryStream();
        var buffer = new byte[16 * 1024];
        try
        {
            // Everything that arrives before the deadline: the history comes in the first writes.
            while (true)
            {
                var read = await stream.ReadAsync(buffer, deadline.Token);
                if (read == 0)
                {
                    break;
                }

                received.Write(buffer, 0, read);
            }
        }
        catch (OperationCanceledException) when (received.Length >= untilBytes)
        {
            // The stream stays open by design; the deadline ends the read.
        }

        return received.ToArray();
    }
}
