using System.Net.Sockets;

namespace LlamaSwap.Core.Http;

/// <summary>
/// A connection to an upstream that acknowledges what it receives at once (Linux <c>TCP_QUICKACK</c>,
/// set again after every send and before every receive: the kernel leaves quick-ACK mode by itself
/// as soon as we send, because a request that follows a response looks interactive to it).
/// </summary>
/// <remarks>
/// Why: servers built on cpp-httplib (llama-server before 2026, whisper.cpp, stable-diffusion.cpp)
/// do not set TCP_NODELAY and write a response as several sends. On a kept-alive connection the
/// second send waits in Nagle's algorithm until its first one is acknowledged, and Linux delays that
/// ACK by about 40 ms. Measured with llama-server b4750: every non-streaming request paid about 45 ms
/// through the gateway (and through any direct kept-alive client), about 1 ms with this. The cost is
/// one <c>setsockopt</c> per send and per receive. See docs/PERFORMANCE.md. Used by the gateway's
/// upstream and peer connections, and by the benchmark's best direct client.
/// </remarks>
public sealed class QuickAckStream : NetworkStream
{
    private const int IpProtoTcp = 6;
    private const int TcpQuickAck = 12;

    private static readonly byte[] On = BitConverter.GetBytes(1);

    private bool _unsupported;

    private QuickAckStream(Socket socket)
        : base(socket, ownsSocket: true)
    {
    }

    /// <summary>Wraps <paramref name="socket"/> when the platform has TCP_QUICKACK (Linux); a plain stream otherwise.</summary>
    public static NetworkStream Create(Socket socket)
        => OperatingSystem.IsLinux() ? new QuickAckStream(socket) : new NetworkStream(socket, ownsSocket: true);

    public override int Read(Span<byte> buffer)
    {
        QuickAck();
        return base.Read(buffer);
    }

    public override int Read(byte[] buffer, int offset, int count)
    {
        QuickAck();
        return base.Read(buffer, offset, count);
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        QuickAck();
        return base.ReadAsync(buffer, cancellationToken);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        QuickAck();
        return base.ReadAsync(buffer, offset, count, cancellationToken);
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        base.Write(buffer);
        QuickAck();
    }

    public override void Write(byte[] buffer, int offset, int count)
    {
        base.Write(buffer, offset, count);
        QuickAck();
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        await base.WriteAsync(buffer, cancellationToken);
        QuickAck();
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    private void QuickAck()
    {
        if (_unsupported)
        {
            return;
        }

        try
        {
            Socket.SetRawSocketOption(IpProtoTcp, TcpQuickAck, On);
        }
        catch (SocketException)
        {
            // A kernel without the option (or a socket that is not TCP): acknowledge as the kernel decides.
            _unsupported = true;
        }
    }
}
