using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;

namespace LlamaSwap.AuthProxy.Hardening;

/// <summary>
/// Waits for a connection's complete request head (request line and headers, up to the blank line)
/// without consuming anything, so Kestrel then reads the same bytes.
/// </summary>
internal static class RequestHeadCheck
{
    private static ReadOnlySpan<byte> HeadEnd => "\r\n\r\n"u8;

    /// <summary>
    /// Waits up to <paramref name="within"/> for the complete head. When that time is up while bytes
    /// wait unread in the socket, the proxy is what is slow (a burst keeps it busy), not the client: it
    /// waits again, up to <paramref name="atMost"/> in all.
    /// </summary>
    public static async Task<HeadArrival> WaitAsync(
        ConnectionContext connection, TimeSpan within, TimeSpan atMost, long maxHeadBytes, TimeProvider time)
    {
        var input = connection.Transport.Input;
        var started = time.GetTimestamp();
        long seen = 0;
        while (true)
        {
            using var timeout = new CancellationTokenSource(within, time);
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, connection.ConnectionClosed);
            try
            {
                while (true)
                {
                    var result = await input.ReadAsync(stop.Token);
                    if (Examine(input, result, maxHeadBytes, ref seen) is { } arrival)
                    {
                        return arrival;
                    }
                }
            }
            catch (OperationCanceledException) when (!connection.ConnectionClosed.IsCancellationRequested)
            {
                // The read that would have seen the head may not have run yet.
                if (input.TryRead(out var result) && Examine(input, result, maxHeadBytes, ref seen) is { } arrival)
                {
                    return arrival;
                }

                if (!BytesWaitIn(connection) || time.GetElapsedTime(started) + within > atMost)
                {
                    return seen == 0 ? HeadArrival.Silent : HeadArrival.Partial;
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException or IOException)
            {
                // Closed, or reset (Kestrel's ConnectionResetException is an IOException).
                return HeadArrival.Closed;
            }
        }
    }

    /// <returns>The verdict when the buffer decides; null to read on.</returns>
    private static HeadArrival? Examine(PipeReader input, ReadResult result, long maxHeadBytes, ref long seen)
    {
        var buffer = result.Buffer;
        seen = buffer.Length;
        var reader = new SequenceReader<byte>(buffer);
        if (reader.TryReadTo(out ReadOnlySequence<byte> _, HeadEnd))
        {
            // Nothing consumed or examined: Kestrel's first read returns all of it at once.
            input.AdvanceTo(buffer.Start);
            return HeadArrival.Complete;
        }

        input.AdvanceTo(buffer.Start, buffer.End);
        return result.IsCompleted || result.IsCanceled ? HeadArrival.Closed
            : buffer.Length > maxHeadBytes ? HeadArrival.Partial
            : null;
    }

    private static bool BytesWaitIn(ConnectionContext connection)
    {
        try
        {
            return connection.Features.Get<IConnectionSocketFeature>()?.Socket is { Available: > 0 };
        }
        catch (Exception ex) when (ex is ObjectDisposedException or SocketException)
        {
            return false;
        }
    }
}
