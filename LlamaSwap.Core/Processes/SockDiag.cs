using System.Buffers.Binary;
using System.Net;
using System.Runtime.InteropServices;

namespace LlamaSwap.Core.Processes;

/// <summary>
/// Asks the kernel for the listening TCP sockets over netlink (sock_diag(7), as <c>ss -lt</c> does).
/// Only the listening table is walked, so the answer takes microseconds however many connections
/// the machine has; /proc/net/tcp makes the kernel walk the whole connection table, which took
/// 4-12 ms a file on a 24 GB machine (262,144 hash buckets) even with few connections.
/// </summary>
/// <remarks>.NET's <c>Socket</c> refuses AF_NETLINK, hence the four libc calls.</remarks>
internal static partial class SockDiag
{
    private const int AfNetlink = 16;
    private const int SockDgram = 2;
    private const int SockCloexec = 0x80000;
    private const int NetlinkSockDiag = 4;
    private const byte AfInet = 2;
    private const byte AfInet6 = 10;
    private const byte IpProtoTcp = 6;
    private const ushort SockDiagByFamily = 20;
    private const ushort NlmsgError = 2;
    private const ushort NlmsgDone = 3;
    private const ushort RequestFlags = 0x1 | 0x300; // NLM_F_REQUEST | NLM_F_DUMP
    private const uint ListenStates = 1u << 10;      // 1 << TCP_LISTEN

    // struct nlmsghdr, struct inet_diag_req_v2 and struct inet_diag_msg (linux/netlink.h, linux/inet_diag.h).
    private const int HeaderLength = 16;
    private const int RequestLength = HeaderLength + 56;
    private const int MessageLength = 72;

    /// <summary>Every listening TCP socket (IPv4 and IPv6); null when netlink is not available or answers with an error.</summary>
    public static IReadOnlyList<ListeningSocket>? ReadListeners()
    {
        var fd = Socket(AfNetlink, SockDgram | SockCloexec, NetlinkSockDiag);
        if (fd < 0)
        {
            return null;
        }

        try
        {
            var listeners = new List<ListeningSocket>();
            return Dump(fd, AfInet, listeners) && Dump(fd, AfInet6, listeners) ? listeners : null;
        }
        finally
        {
            _ = Close(fd);
        }
    }

    private static bool Dump(int fd, byte family, List<ListeningSocket> listeners)
    {
        Span<byte> request = stackalloc byte[RequestLength];
        request.Clear();
        MemoryMarshal.Write(request, (uint)RequestLength);
        MemoryMarshal.Write(request[4..], SockDiagByFamily);
        MemoryMarshal.Write(request[6..], RequestFlags);
        MemoryMarshal.Write(request[8..], 1u); // sequence number; the port id 0 addresses the kernel
        request[HeaderLength] = family;
        request[HeaderLength + 1] = IpProtoTcp;
        MemoryMarshal.Write(request[(HeaderLength + 4)..], ListenStates);
        if (Send(fd, request, (nuint)request.Length, 0) != request.Length)
        {
            return false;
        }

        var buffer = new byte[32 * 1024];
        while (true)
        {
            var received = (int)Receive(fd, buffer, (nuint)buffer.Length, 0);
            if (received <= 0)
            {
                return false;
            }

            for (var offset = 0; offset + HeaderLength <= received;)
            {
                var message = buffer.AsSpan(offset, received - offset);
                var length = (int)MemoryMarshal.Read<uint>(message);
                var type = MemoryMarshal.Read<ushort>(message[4..]);
                if (length < HeaderLength || length > message.Length || type == NlmsgError)
                {
                    return false;
                }

                if (type == NlmsgDone)
                {
                    return true;
                }

                if (type == SockDiagByFamily && length >= HeaderLength + MessageLength)
                {
                    listeners.Add(Parse(message[HeaderLength..length]));
                }

                // Messages are aligned to 4 bytes.
                offset += (length + 3) & ~3;
            }
        }
    }

    private static ListeningSocket Parse(ReadOnlySpan<byte> diag)
    {
        // idiag_family, idiag_state, idiag_timer, idiag_retrans, then the socket id: sport and dport
        // (network order), src and dst (16 bytes each, an IPv4 address in the first 4), ... idiag_uid, idiag_inode.
        var port = BinaryPrimitives.ReadUInt16BigEndian(diag[4..]);
        var address = new IPAddress(diag.Slice(8, diag[0] == AfInet ? 4 : 16));
        var uid = MemoryMarshal.Read<uint>(diag[64..]);
        var inode = MemoryMarshal.Read<uint>(diag[68..]);
        return new ListeningSocket(new IPEndPoint(address, port), (int)uid, inode);
    }

    [LibraryImport("libc", EntryPoint = "socket")]
    private static partial int Socket(int domain, int type, int protocol);

    [LibraryImport("libc", EntryPoint = "send")]
    private static partial nint Send(int fd, ReadOnlySpan<byte> buffer, nuint length, int flags);

    [LibraryImport("libc", EntryPoint = "recv")]
    private static partial nint Receive(int fd, Span<byte> buffer, nuint length, int flags);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);
}
