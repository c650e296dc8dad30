using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;

namespace LlamaSwap.AuthProxy.Hardening;

/// <summary>
/// Waits for a connection's complete request head (request line and headers, up to the blank line)
/// without consuming anything, so Kestrel then reads the same bytes. On a TLS endpoint this runs
/// before the handshake (connection middleware comes before Kestrel's TLS): the head is encrypted
/// and a client sends it only after the server's answer, so there the complete first handshake
/// record (the ClientHello) is what a real client sends at once; a client dribbling its headers
/// inside TLS is then bounded by Kestrel's request-headers timeout.
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
        var complete = TlsRecordLength(buffer) is { } recordLength
            ? buffer.Length >= recordLength
            : reader.TryReadTo(out ReadOnlySequence<byte> _, HeadEnd);
        if (complete)
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

    /// <summary>
    /// The full length (header included) of the TLS handshake record the buffer starts with, or null
    /// when it does not start with one. An HTTP request never does: its first byte is a method letter.
    /// </summary>
    private static long? TlsRecordLength(ReadOnlySequence<byte> buffer)
    {
        const int HeaderLength = 5;
        const byte Handshake = 22;
        const byte MajorVersion = 3;
        if (buffer.Length < HeaderLength)
        {
            return null;
        }

        Span<byte> header = stackalloc byte[HeaderLength];
        buffer.Slice(0, HeaderLength).CopyTo(header);
        return header[0] == Handshake && header[1] == MajorVersion
            ? HeaderLength + ((header[3] << 8) | header[4])
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
