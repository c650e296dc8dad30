using System.Text;
using LlamaSwap.Core.Logs;
using LlamaSwap.Tests.Infrastructure;

namespace LlamaSwap.Tests.Core.Logs;

public sealed class LogMonitorTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public void GetHistory_NothingWritten_IsEmpty()
    {
        Assert.Empty(new LogMonitor().GetHistory());
    }

    [Fact]
    public void GetHistory_AfterWrapAround_KeepsTheNewestBytesWithinTheCapacity()
    {
        var monitor = new LogMonitor();
        for (var i = 0; i < 3000; i++)
        {
            monitor.Write($"line {i:D5} {new string('x', 40)}\n");
        }

        var history = Encoding.UTF8.GetString(monitor.GetHistory());

        Assert.Equal(LogMonitor.HistoryCapacity, history.Length);
        Assert.EndsWith($"line 02999 {new string('x', 40)}\n", history, StringComparison.Ordinal);
        Assert.DoesNotContain("line 01000 ", history, StringComparison.Ordinal);
        Assert.Contains("line 01100 ", history, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_LargerThanTheCapacity_KeepsItsTail()
    {
        var monitor = new LogMonitor();
        monitor.Write("old\n");
        var big = new byte[LogMonitor.HistoryCapacity + 10];
        big.AsSpan().Fill((byte)'a');
        big[^1] = (byte)'z';

        monitor.Write(big);
        var history = monitor.GetHistory();

        Assert.Equal(LogMonitor.HistoryCapacity, history.Length);
        Assert.Equal((byte)'z', history[^1]);
        Assert.DoesNotContain((byte)'o', history);
    }

    [Fact]
    public void GetHistory_WrappedInsideAMultiByteCharacter_StartsAtACharacterBoundary()
    {
        var monitor = new LogMonitor();
        monitor.Write(new string('a', LogMonitor.HistoryCapacity - 1));
        monitor.Write("é"); // two bytes: the first 'a' goes, the history is exactly full
        monitor.Write("€"); // three bytes: drops two more 'a's
        monitor.Write("—" + new string('b', LogMonitor.HistoryCapacity - 4)); // leaves only the tail of '—'... and all b's

        var history = monitor.GetHistory();

        Assert.True((history[0] & 0xC0) != 0x80, "history starts at a character boundary");
        Assert.True(history.Length <= LogMonitor.HistoryCapacity);
    }

    [Fact]
    public async Task Subscribe_LiveWrites_ArriveInOrder()
    {
        var monitor = new LogMonitor();
        monitor.Write("before\n");
        using var subscription = monitor.Subscribe();
        var expected = new StringBuilder();
        for (var i = 0; i < 500; i++)
        {
            var line = $"line {i}\n";
            expected.Append(line);
            monitor.Write(line);
        }

        var received = await ReadUntilAsync(subscription, text => text.Length >= expected.Length);

        Assert.Equal(expected.ToString(), received);
    }

    [Fact]
    public async Task Subscribe_WithHistory_StartsWithTheHistoryThenLiveWrites()
    {
        var monitor = new LogMonitor();
        monitor.Write("old\n");
        using var subscription = monitor.Subscribe(replayHistory: true);
        monitor.Write("new\n");

        var received = await ReadUntilAsync(subscription, text => text.Contains("new\n", StringComparison.Ordinal));

        Assert.Equal("old\nnew\n", received);
    }

    [Fact]
    public async Task Subscribe_StalledReader_DoesNotBlockWrites_AndLaterSeesTheDropMarker()
    {
        var monitor = new LogMonitor();
        using var stalled = monitor.Subscribe(replayHistory: false, capacityBytes: 1024);
        var line = new string('x', 99) + "\n";

        // 100 KiB through a 1 KiB queue that nobody reads: every Write must return regardless.
        var writing = Task.Run(() =>
        {
            for (var i = 0; i < 1024; i++)
            {
                monitor.Write(line);
            }
        });
        await writing.WaitAsync(Deadline);
        monitor.Write("after the stall\n");

        var received = await ReadUntilAsync(stalled, text => text.Contains("after the stall\n", StringComparison.Ordinal));

        // 10 lines fit the queue; the other 1014 are dropped and reported before the next write.
        var expected = string.Concat(Enumerable.Repeat(line, 10)) + LogSubscription.DropMarker(1014 * 100) + "after the stall\n";
        Assert.Equal(expected, received);
        Assert.Equal(LogMonitor.HistoryCapacity, monitor.GetHistory().Length);
    }

    [Fact]
    public async Task Subscribe_LaggingReaderThatCatchesUp_GetsTheMarkerWithoutAFurtherWrite()
    {
        var monitor = new LogMonitor();
        using var subscription = monitor.Subscribe(replayHistory: false, capacityBytes: 10);
        monitor.Write("0123456789");
        monitor.Write("lost");

        var received = await ReadUntilAsync(subscription, text => text.Contains("dropped", StringComparison.Ordinal));

        Assert.Equal("0123456789" + LogSubscription.DropMarker(4), received);
    }

    [Fact]
    public async Task Dispose_EndsTheReadAndStopsDelivery()
    {
        var monitor = new LogMonitor();
        var subscription = monitor.Subscribe();
        var received = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var reading = Task.Run(async () =>
        {
            await foreach (var chunk in subscription.ReadAllAsync())
            {
                received.Enqueue(Encoding.UTF8.GetString(chunk.Span));
            }
        });
        monitor.Write("first\n");
        await Eventually.TrueAsync(() => received.Contains("first\n"), "the reader got the first write", Deadline);

        subscription.Dispose();
        monitor.Write("after dispose\n");
        await reading.WaitAsync(Deadline);

        Assert.Equal(["first\n"], received);
        Assert.Equal("first\nafter dispose\n", Encoding.UTF8.GetString(monitor.GetHistory()));
    }

    [Fact]
    public async Task ReadAllAsync_Cancelled_Throws()
    {
        var monitor = new LogMonitor();
        using var subscription = monitor.Subscribe();
        using var cancel = new CancellationTokenSource();
        var reading = Task.Run(async () =>
        {
            await foreach (var unused in subscription.ReadAllAsync(cancel.Token))
            {
            }
        });

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => reading.WaitAsync(Deadline));
    }

    private static async Task<string> ReadUntilAsync(LogSubscription subscription, Func<string, bool> done)
    {
        using var timeout = new CancellationTokenSource(Deadline);
        var text = new StringBuilder();
        await foreach (var chunk in subscription.ReadAllAsync(timeout.Token))
        {
            text.Append(Encoding.UTF8.GetString(chunk.Span));
            if (done(text.ToString()))
            {
                break;
            }
        }

        return text.ToString();
    }
}
