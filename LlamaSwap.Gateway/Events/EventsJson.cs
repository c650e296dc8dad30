using System.Text.Encodings.Web;
using System.Text.Json;

namespace LlamaSwap.Gateway.Events;

/// <summary>Payloads keep their null members (<c>"active":null</c>) as llama-swap sends them.</summary>
internal static class EventsJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}
