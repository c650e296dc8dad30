using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using LlamaSwap.Core.Contracts;
using LlamaSwap.Gateway.Activity;
using LlamaSwap.Gateway.Forwarding;
using LlamaSwap.Gateway.Telemetry;
using LlamaSwap.Tests.Gateway.Support;
using LlamaSwap.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace LlamaSwap.Tests.Gateway.Forwarding;

/// <summary>The forwarder's side of activity recording: timing headers, the client span, the A/B switch.</summary>
public sealed class ActivityForwardingTests
{
    private const string UsageBody = """{"choices":[],"usage":{"prompt_tokens":11,"completion_tokens":7}}""";

    /// <summary>An upstream that answers every request with <see cref="UsageBody"/> and remembers its traceparent.</summary>
    private sealed class TracingUpstream : IAsyncDisposable
    {
        private readonly WebApplication _app;

        private TracingUpstream(WebApplication app, string url)
        {
            _app = app;
            Url = url;
        }

        public string Url { get; }

        public string? LastTraceparent { get; private set; }

        public static async Task<TracingUpstream> StartAsync()
        {
            TracingUpstream? upstream = null;
            var (app, url) = await LoopbackServer.StartAsync(app => app.Run(async context =>
            {
                upstream!.LastTraceparent = context.Request.Headers["traceparent"].ToString();
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync(UsageBody);
            }));
            upstream = new TracingUpstream(app, url);
            return upstream;
        }

        public ValueTask DisposeAsync() => _app.DisposeAsync();
    }

    private static async Task<GatewayHarness> HarnessAsync(TracingUpstream upstream, double queueWaitMs, double loadMs, string[]? extraArgs = null)
    {
        var harness = await GatewayHarness.StartAsync(extraArgs: extraArgs);
        harness.Supervisor.OnAcquire = (_, _) => Task.FromResult<IResult?>(
            Results.Json(new AcquireResponse($"lease-{Guid.NewGuid():N}", upstream.Url, queueWaitMs, loadMs)));
        return harness;
    }

    private static Task<HttpResponseMessage> ChatAsync(GatewayHarness harness, string model = "llama")
        => harness.Client.PostAsync(
            "/v1/chat/completions", new StringContent($$"""{"model":"{{model}}","messages":[]}""", Encoding.UTF8, "application/json"));

    [Fact]
    public async Task Response_TimingHeadersFromTheLeaseAndTheGateway()
    {
        await using var upstream = await TracingUpstream.StartAsync();
        await using var harness = await HarnessAsync(upstream, queueWaitMs: 12.5, loadMs: 300.25);

        using var response = await ChatAsync(harness);

        Assert.Equal("12.5", response.Headers.GetValues(ProxyTimingHeaders.QueueWait).Single());
        Assert.Equal("300.25", response.Headers.GetValues(ProxyTimingHeaders.Load).Single());
        var proxy = double.Parse(response.Headers.GetValues(ProxyTimingHeaders.Proxy).Single(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(proxy, 0, 10_000);
    }

    [Fact]
    public async Task Request_RecordedWithUsageAndLeaseTimings()
    {
        await using var upstream = await TracingUpstream.StartAsync();
        await using var harness = await HarnessAsync(upstream, queueWaitMs: 4, loadMs: 0);

        using var response = await ChatAsync(harness);
        await response.Content.ReadAsStringAsync();

        var row = await SingleRowAsync(harness);
        Assert.Equal("llama", row.GetProperty("model").GetString());
        Assert.Equal(11, row.GetProperty("tokens").GetProperty("input_tokens").GetInt64());
        Assert.Equal(7, row.GetProperty("tokens").GetProperty("output_tokens").GetInt64());
        Assert.Equal(4, row.GetProperty("queue_wait_ms").GetDouble());
        Assert.Equal(0, row.GetProperty("load_ms").GetDouble());
    }

    [Fact]
    public async Task ActivityDisabled_NothingRecordedButTimingHeadersStay()
    {
        await using var upstream = await TracingUpstream.StartAsync();
        await using var harness = await HarnessAsync(upstream, queueWaitMs: 1, loadMs: 2, extraArgs: ["--Gateway:Activity:Enabled=false"]);

        using var response = await ChatAsync(harness);
        Assert.Equal(UsageBody, await response.Content.ReadAsStringAsync());

        Assert.True(response.Headers.Contains(ProxyTimingHeaders.Proxy));
        using var page = await harness.Client.GetFromJsonAsync<JsonDocument>("/api/metrics/activity");
        Assert.Equal(0, page!.RootElement.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Trace_ClientSpanIsTheUpstreamsParentAndGetsUsage()
    {
        await using var upstream = await TracingUpstream.StartAsync();
        await using var harness = await HarnessAsync(upstream, queueWaitMs: 0, loadMs: 0);
        var stopped = new TaskCompletionSource<System.Diagnostics.Activity>(TaskCreationOptions.RunContinuationsAsynchronously);
        var httpSpans = new System.Collections.Concurrent.ConcurrentBag<System.Diagnostics.Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is GatewayTelemetry.SourceName or "System.Net.Http",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStarted = activity =>
            {
                if (activity.Source.Name == "System.Net.Http")
                {
                    httpSpans.Add(activity);
                }
            },
            ActivityStopped = activity =>
            {
                // Other tests share the source: only this gateway's model counts, and only the client
                // span (the acquire's "queue wait" span carries the model too).
                if (activity.GetTagItem("gen_ai.request.model") as string == "qwen" && activity.Kind == ActivityKind.Client)
                {
                    stopped.TrySetResult(activity);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);

        using var response = await ChatAsync(harness, model: "qwen");
        await response.Content.ReadAsStringAsync();
        var span = await stopped.Task.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(ActivityKind.Client, span.Kind);
        Assert.Equal("chat qwen", span.DisplayName);
        Assert.Equal("chat", span.GetTagItem("gen_ai.operation.name"));
        Assert.Equal(11L, span.GetTagItem("gen_ai.usage.input_tokens"));
        Assert.Equal(7L, span.GetTagItem("gen_ai.usage.output_tokens"));
        // The upstream's parent is our span, or the HTTP client span .NET opens under it when something listens to those.
        var parent = upstream.LastTraceparent!.Split('-');
        Assert.Equal(span.TraceId.ToHexString(), parent[1]);
        Assert.True(
            parent[2] == span.SpanId.ToHexString() || httpSpans.Any(h => h.SpanId.ToHexString() == parent[2] && h.ParentSpanId == span.SpanId),
            $"traceparent {upstream.LastTraceparent} does not descend from span {span.SpanId}");
    }

    [Fact]
    public async Task Sse_FirstChunkReachesTheClientBeforeTheUpstreamFinishes()
    {
        await using var harness = await GatewayHarness.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = new StringContent("""{"model":"llama","stream":true}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-Test-Mode", "sse");

        using var response = await harness.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        await using var body = await response.Content.ReadAsStreamAsync();
        var buffer = new byte[64];
        var read = await body.ReadAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(20));

        // The upstream is still holding the rest back: the tee passed the first chunk straight on.
        Assert.False(harness.Upstream.StreamGate.Task.IsCompleted);
        Assert.StartsWith("data: {\"chunk\":1}", Encoding.UTF8.GetString(buffer, 0, read), StringComparison.Ordinal);
        harness.Upstream.StreamGate.SetResult();
        var rest = await new StreamReader(body).ReadToEndAsync();
        Assert.Contains("[DONE]", rest, StringComparison.Ordinal);

        var row = await SingleRowAsync(harness);
        Assert.True(row.GetProperty("streaming").GetBoolean());
        Assert.True(row.GetProperty("first_byte_ms").GetDouble() >= 0);
    }

    private static async Task<JsonElement> SingleRowAsync(GatewayHarness harness)
    {
        JsonElement? row = null;
        await Eventually.TrueAsync(
            async () =>
            {
                using var page = await harness.Client.GetFromJsonAsync<JsonDocument>("/api/metrics/activity");
                var data = page!.RootElement.GetProperty("data");
                row = data.GetArrayLength() == 1 ? data[0].Clone() : null;
                return row is not null;
            },
            "the request is recorded",
            TimeSpan.FromSeconds(30));
        return row!.Value;
    }
}
