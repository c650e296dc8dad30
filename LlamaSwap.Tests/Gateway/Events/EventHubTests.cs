using System.Text;
using System.Text.Json;
using LlamaSwap.Gateway.Events;
using Microsoft.Extensions.Logging.Abstractions;

namespace LlamaSwap.Tests.Gateway.Events;

public sealed class EventHubTests
{
    [Fact]
    public void Encode_DataIsAJsonDocumentEncodedAsAString()
    {
        var frame = Encoding.UTF8.GetString(EventFrame.Encode("activity", """{"id":7}"""));

        Assert.StartsWith("event:message\ndata:", frame, StringComparison.Ordinal);
        Assert.EndsWith("\n\n", frame, StringComparison.Ordinal);
        var envelope = JsonDocument.Parse(frame["event:message\ndata:".Length..].TrimEnd('\n')).RootElement;
        Assert.Equal("activity", envelope.GetProperty("type").GetString());
        Assert.Equal("""{"id":7}""", envelope.GetProperty("data").GetString());
    }

    [Fact]
    public void Encode_NullMembersKept()
    {
        var frame = Encoding.UTF8.GetString(EventFrame.Encode("profileChanged", new ProfileChangedPayload(null)));
        Assert.Contains("""{\"active\":null}""", frame, StringComparison.Ordinal);
    }

    [Fact]
    public void Publish_EveryConnectedClientGetsTheFrameInOrder()
    {
        var hub = new EventHub(NullLogger<EventHub>.Instance);
        using var first = hub.Connect();
        using var second = hub.Connect();

        hub.Publish([1]);
        hub.Publish([2]);

        foreach (var client in new[] { first, second })
        {
            Assert.True(client.Frames.TryRead(out var a));
            Assert.True(client.Frames.TryRead(out var b));
            Assert.Equal([1], a);
            Assert.Equal([2], b);
        }
    }

    [Fact]
    public void Publish_LaggingClientLosesNewFramesOthersDoNot()
    {
        var hub = new EventHub(NullLogger<EventHub>.Instance);
        using var lagging = hub.Connect();
        using var reading = hub.Connect();

        for (var i = 0; i < EventHub.ClientCapacity + 5; i++)
        {
            hub.Publish([(byte)(i % 250)]);
            Assert.True(reading.Frames.TryRead(out _));
        }

        Assert.Equal(5, lagging.Dropped);
        Assert.Equal(0, reading.Dropped);
        Assert.Equal(EventHub.ClientCapacity, lagging.Frames.Count);
    }

    [Fact]
    public void Dispose_ClientNoLongerReceives()
    {
        var hub = new EventHub(NullLogger<EventHub>.Instance);
        var client = hub.Connect();
        client.Dispose();

        hub.Publish([1]);

        Assert.Equal(0, hub.ClientCount);
        Assert.False(client.Frames.TryRead(out _));
    }
}
