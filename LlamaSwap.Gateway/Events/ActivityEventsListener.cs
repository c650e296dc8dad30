using System.Text.Json.Serialization;
using LlamaSwap.Gateway.Activity;

namespace LlamaSwap.Gateway.Events;

/// <summary><c>activity</c> events: <c>{"id":N}</c>; clients fetch the row from <c>/api/metrics/activity</c>.</summary>
internal sealed class ActivityEventsListener(EventHub hub) : IActivityListener
{
    public void OnRecorded(ActivityEntry entry) => hub.Publish(EventTypes.Activity, new ActivityId(entry.Id));

    private sealed record ActivityId([property: JsonPropertyName("id")] long Id);
}
