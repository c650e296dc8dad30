using System.Text;
using System.Text.Json;

namespace LlamaSwap.Gateway.Events;

/// <summary>
/// One <c>/api/events</c> frame in llama-swap's envelope (reference 2.4):
/// <c>event:message\ndata:{"type":"&lt;type&gt;","data":"&lt;JSON as a string&gt;"}\n\n</c>.
/// Encoded once per event and shared by every connected client.
/// </summary>
internal static class EventFrame
{
    public static byte[] Encode(string type, string dataJson)
    {
        var envelope = JsonSerializer.Serialize(new Envelope(type, dataJson), EventsJson.Options);
        return Encoding.UTF8.GetBytes("event:message\ndata:" + envelope + "\n\n");
    }

    public static byte[] Encode<T>(string type, T data)
        => Encode(type, JsonSerializer.Serialize(data, EventsJson.Options));

    private sealed record Envelope(
        [property: System.Text.Json.Serialization.JsonPropertyName("type")] string Type,
        [property: System.Text.Json.Serialization.JsonPropertyName("data")] string Data);
}

/// <summary>The event types of reference 2.4.</summary>
internal static class EventTypes
{
    public const string ModelStatus = "modelStatus";
    public const string LogData = "logData";
    public const string Activity = "activity";
    public const string Inflight = "inflight";
    public const string UiConfig = "uiConfig";
    public const string ProfileChanged = "profileChanged";
}
