using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace LlamaSwap.Tests.Infrastructure;

/// <summary>
/// An OTLP/HTTP collector for tests: accepts <c>POST /v1/traces</c>, <c>/v1/metrics</c> and
/// <c>/v1/logs</c> (protobuf) with 200, and decodes the spans it receives with a minimal protobuf
/// wire-format reader (no protobuf package needed).
/// </summary>
internal sealed class OtlpCollectorStub : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ReceivedSpan> _spans = new();
    private int _metricExports;

    private OtlpCollectorStub(WebApplication app) => _app = app;

    /// <summary>The endpoint to put in <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>.</summary>
    public string Endpoint => _app.Urls.First().TrimEnd('/');

    public IReadOnlyList<ReceivedSpan> Spans => [.. _spans];

    public int MetricExports => Volatile.Read(ref _metricExports);

    public static async Task<OtlpCollectorStub> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var stub = new OtlpCollectorStub(app);
        app.MapPost("/v1/traces", stub.OnTracesAsync);
        app.MapPost("/v1/metrics", (HttpContext _) =>
        {
            Interlocked.Increment(ref stub._metricExports);
            return Results.Ok();
        });
        app.MapPost("/v1/logs", () => Results.Ok());
        await app.StartAsync();
        return stub;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    /// <summary>An empty 200 is a valid (empty) ExportTraceServiceResponse.</summary>
    private async Task OnTracesAsync(HttpContext context)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body);
        foreach (var span in OtlpTraceDecoder.Decode(body.ToArray()))
        {
            _spans.Enqueue(span);
        }
    }
}

/// <summary>A span as the collector received it. Ids are lower-case hex; <see cref="ParentSpanId"/> is empty for a root.</summary>
internal sealed record ReceivedSpan(
    string Service,
    string Scope,
    string TraceId,
    string SpanId,
    string ParentSpanId,
    string Name,
    IReadOnlyDictionary<string, object?> Attributes,
    int StatusCode);

/// <summary>
/// Decodes <c>ExportTraceServiceRequest</c> (opentelemetry-proto): resource_spans=1 → ResourceSpans
/// {resource=1 {attributes=1}, scope_spans=2 {scope=1 {name=1}, spans=2}} → Span {trace_id=1,
/// span_id=2, parent_span_id=4, name=5, attributes=9, status=15 {code=3}}.
/// </summary>
internal static class OtlpTraceDecoder
{
    public static IEnumerable<ReceivedSpan> Decode(byte[] request)
    {
        var spans = new List<ReceivedSpan>();
        foreach (var (field, resourceSpans) in ProtoReader.Fields(request))
        {
            if (field != 1)
            {
                continue;
            }

            var service = "";
            var scopes = new List<ReadOnlyMemory<byte>>();
            foreach (var (f, value) in ProtoReader.Fields(resourceSpans.Bytes))
            {
                if (f == 1)
                {
                    service = Attributes(value.Bytes).GetValueOrDefault("service.name") as string ?? "";
                }
                else if (f == 2)
                {
                    scopes.Add(value.Bytes);
                }
            }

            foreach (var scopeSpans in scopes)
            {
                var scope = "";
                foreach (var (f, value) in ProtoReader.Fields(scopeSpans))
                {
                    if (f == 1)
                    {
                        scope = ProtoReader.Fields(value.Bytes).Where(x => x.Field == 1).Select(x => x.Value.String).FirstOrDefault() ?? "";
                    }
                    else if (f == 2)
                    {
                        spans.Add(Span(service, scope, value.Bytes));
                    }
                }
            }
        }

        return spans;
    }

    private static ReceivedSpan Span(string service, string scope, ReadOnlyMemory<byte> span)
    {
        string traceId = "", spanId = "", parent = "", name = "";
        var status = 0;
        var attributes = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (field, value) in ProtoReader.Fields(span))
        {
            switch (field)
            {
                case 1: traceId = Convert.ToHexStringLower(value.Bytes.Span); break;
                case 2: spanId = Convert.ToHexStringLower(value.Bytes.Span); break;
                case 4: parent = Convert.ToHexStringLower(value.Bytes.Span); break;
                case 5: name = value.String; break;
                case 9: AddAttribute(attributes, value.Bytes); break;
                case 15: status = (int)ProtoReader.Fields(value.Bytes).Where(x => x.Field == 3).Select(x => x.Value.Varint).FirstOrDefault(); break;
            }
        }

        return new ReceivedSpan(service, scope, traceId, spanId, parent, name, attributes, status);
    }

    private static Dictionary<string, object?> Attributes(ReadOnlyMemory<byte> resource)
    {
        var attributes = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (field, value) in ProtoReader.Fields(resource))
        {
            if (field == 1)
            {
                AddAttribute(attributes, value.Bytes);
            }
        }

        return attributes;
    }

    /// <summary>KeyValue {key=1, value=2 AnyValue {string_value=1, bool_value=2, int_value=3, double_value=4}}.</summary>
    private static void AddAttribute(Dictionary<string, object?> attributes, ReadOnlyMemory<byte> keyValue)
    {
        string? key = null;
        object? parsed = null;
        foreach (var (field, value) in ProtoReader.Fields(keyValue))
        {
            if (field == 1)
            {
                key = value.String;
            }
            else if (field == 2)
            {
                foreach (var (anyField, any) in ProtoReader.Fields(value.Bytes))
                {
                    parsed = anyField switch
                    {
                        1 => any.String,
                        2 => any.Varint != 0,
                        3 => (long)any.Varint,
                        4 => BitConverter.Int64BitsToDouble((long)any.Varint),
                        _ => parsed,
                    };
                }
            }
        }

        if (key is not null)
        {
            attributes[key] = parsed;
        }
    }
}

/// <summary>Protobuf wire format: a message is a run of (field number, wire type) tags, each followed by its value.</summary>
internal static class ProtoReader
{
    /// <summary>A field's value: <see cref="Varint"/> for varint, fixed64 and fixed32 fields, <see cref="Bytes"/> for length-delimited ones.</summary>
    internal readonly record struct Value(ulong Varint, ReadOnlyMemory<byte> Bytes)
    {
        public string String => Encoding.UTF8.GetString(Bytes.Span);
    }

    public static List<(int Field, Value Value)> Fields(ReadOnlyMemory<byte> message)
    {
        var fields = new List<(int, Value)>();
        var span = message.Span;
        var position = 0;
        while (position < span.Length)
        {
            var tag = ReadVarint(span, ref position);
            var field = (int)(tag >> 3);
            switch (tag & 7)
            {
                case 0:
                    fields.Add((field, new Value(ReadVarint(span, ref position), default)));
                    break;
                case 1:
                    fields.Add((field, new Value(BitConverter.ToUInt64(span.Slice(position, 8)), default)));
                    position += 8;
                    break;
                case 2:
                    var length = (int)ReadVarint(span, ref position);
                    fields.Add((field, new Value(0, message.Slice(position, length))));
                    position += length;
                    break;
                case 5:
                    fields.Add((field, new Value(BitConverter.ToUInt32(span.Slice(position, 4)), default)));
                    position += 4;
                    break;
                default:
                    throw new FormatException($"unsupported protobuf wire type {tag & 7} at byte {position}");
            }
        }

        return fields;
    }

    private static ulong ReadVarint(ReadOnlySpan<byte> span, ref int position)
    {
        ulong result = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            var b = span[position++];
            result |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return result;
            }
        }

        throw new FormatException("varint longer than 64 bits");
    }
}
