using System.Net.Http.Json;
using LlamaSwap.Tests.Infrastructure;

namespace LlamaSwap.Tests.EndToEnd;

/// <summary>
/// One chat request through the real stack with OTLP export on: the auth proxy, gateway and
/// supervisor each send their spans to a collector stub, and all of them, plus the traceparent the
/// test upstream received, belong to one trace.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class TracingEndToEndTests
{
    private const string Model = "traced";

    private static string Yaml => $$$"""
        healthCheckTimeout: 60
        startPort: {{startPort}}
        apiKeys:
          - "{{{LlamaSwapStack.ApiKey}}}"
        models:
          {{{Model}}}:
            cmd: {{{LlamaSwapStack.UpstreamCommand(Model, "--respond 'traced reply' --startup-delay-ms 300")}}}
        """;

    [Fact]
    public async Task ChatRequest_SpansFromAllThreeServicesAndTheUpstreamsTraceparentShareOneTraceId()
    {
        await using var collector = await OtlpCollectorStub.StartAsync();
        await using var stack = await LlamaSwapStack.StartAsync(Yaml, portCount: 4, new Dictionary<string, string>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = collector.Endpoint,

            // The stubs speak OTLP/HTTP; the exporter's default (what Aspire's dashboard takes) is gRPC.
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
            ["OTEL_METRIC_EXPORT_INTERVAL"] = "1000",
        });

        using var response = await stack.Client.PostAsJsonAsync(stack.FrontDoor + "/v1/chat/completions", new
        {
            model = Model,
            messages = new[] { new { role = "user", content = "trace me" } },
        });
        Assert.True(response.IsSuccessStatusCode, $"chat -> {(int)response.StatusCode}\n{stack.Diagnostics()}");

        var received = stack.RequestsReceivedBy(Model).Single(r => r.GetProperty("path").GetString() == "/v1/chat/completions");
        Assert.True(received.GetProperty("headers").TryGetProperty("traceparent", out var traceparent), "the upstream received a traceparent header");
        var traceId = traceparent.GetString()!.Split('-')[1];

        List<ReceivedSpan> Trace() => [.. collector.Spans.Where(s => s.TraceId == traceId)];
        bool Has(string service, string? name = null) => Trace().Any(s => s.Service == service && (name is null || s.Name == name));

        // Spans leave in per-process batches, a server span after its children: wait for the whole tree.
        bool Complete()
        {
            var spans = Trace();
            var ids = spans.Select(s => s.SpanId).ToHashSet();
            return spans.Count(s => s.ParentSpanId.Length == 0) == 1 && spans.All(s => s.ParentSpanId.Length == 0 || ids.Contains(s.ParentSpanId));
        }

        await Eventually.TrueAsync(
            () => Has("LlamaSwap.AuthProxy") && Has("LlamaSwap.Gateway", "queue wait")
                  && Has("LlamaSwap.Supervisor", "queue wait") && Has("LlamaSwap.Supervisor", "model load") && Complete(),
            $"spans of trace {traceId} arrive from all three services, every parent included (have: {string.Join(", ", Trace().Select(s => $"{s.Service}/{s.Name}"))})",
            TimeSpan.FromSeconds(60));

        var trace = Trace();
        var root = Assert.Single(trace, s => s.ParentSpanId.Length == 0);
        Assert.Equal("LlamaSwap.AuthProxy", root.Service);

        var supervisorWait = trace.Single(s => s.Service == "LlamaSwap.Supervisor" && s.Name == "queue wait");
        var load = trace.Single(s => s.Service == "LlamaSwap.Supervisor" && s.Name == "model load");
        Assert.Equal(Model, supervisorWait.Attributes["gen_ai.request.model"]);
        Assert.Equal(Model, load.Attributes["gen_ai.request.model"]);
        Assert.Equal("LlamaSwap.Supervisor", load.Scope);
        Assert.Equal(supervisorWait.ParentSpanId, load.ParentSpanId);
        var gatewayWait = trace.Single(s => s.Service == "LlamaSwap.Gateway" && s.Name == "queue wait");
        Assert.Equal(Model, gatewayWait.Attributes["gen_ai.request.model"]);

        // The supervisor's spans hang under its acquire request, which continues the gateway's wait.
        var acquireServerSpan = trace.Single(s => s.SpanId == supervisorWait.ParentSpanId);
        Assert.Equal("LlamaSwap.Supervisor", acquireServerSpan.Service);
        Assert.Contains(trace, s => s.Service == "LlamaSwap.Gateway" && s.SpanId == acquireServerSpan.ParentSpanId);

        // ASP.NET Core's server spans carry route and status (the instrumentation package), and the
        // shared Redis connection's commands are traced (the supervisor writes the model's state).
        var gatewayServer = trace.Single(s => s.Service == "LlamaSwap.Gateway" && s.Scope == "Microsoft.AspNetCore");
        Assert.Equal("POST /v1/chat/completions", gatewayServer.Name);
        Assert.Equal("/v1/chat/completions", gatewayServer.Attributes["http.route"]);
        Assert.Equal(200L, Convert.ToInt64(gatewayServer.Attributes["http.response.status_code"], System.Globalization.CultureInfo.InvariantCulture));
        await Eventually.TrueAsync(
            () => collector.Spans.Any(s => s.Service == "LlamaSwap.Supervisor" && s.Scope == "OpenTelemetry.Instrumentation.StackExchangeRedis" && s.Name == "HSET"),
            "the supervisor's Redis commands arrive as spans",
            TimeSpan.FromSeconds(30));

        // With OTLP on, metrics are pushed too, and /metrics (now also carrying the framework's meters) still parses.
        await Eventually.TrueAsync(() => collector.MetricExports > 0, "an OTLP metrics export arrives", TimeSpan.FromSeconds(30));
        var metrics = PrometheusText.Parse(await stack.Client.GetStringAsync(stack.FrontDoor + "/metrics"));
        Assert.Contains(metrics.TypeOf.Keys, name => name.StartsWith("http_server_request_duration", StringComparison.Ordinal));
        Assert.NotNull(metrics.Value("llamaswap_memory_total_bytes"));
    }
}
