using System.Text.Json;

namespace LlamaSwap.Core.Logs;

/// <summary>
/// Upstream output published by the supervisor on <see cref="Events.EventChannels.UpstreamLogs"/>.
/// </summary>
/// <param name="Model">The real model ID whose process (or cmdStop) wrote it.</param>
/// <param name="Text">The output exactly as it is appended to the logs, line breaks included.</param>
public sealed record UpstreamLogMessage(string Model, string Text)
{
    private static readonly JsonSerializerOptions Json = JsonSerializerOptions.Web;

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>The message in <paramref name="json"/>, or null when it is not one.</summary>
    public static UpstreamLogMessage? FromJson(string json)
    {
        try
        {
            return JsonSerializer.Deserialize<UpstreamLogMessage>(json, Json) is { Model: not null, Text: not null } message ? message : null;
        }
        catch (JsonException)
        {
            // Another publisher's shape on our channel: not ours to show.
            return null;
        }
    }
}
