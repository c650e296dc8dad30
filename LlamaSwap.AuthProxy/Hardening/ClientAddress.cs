using System.Net;
using System.Net.Sockets;

namespace LlamaSwap.AuthProxy.Hardening;

/// <summary>
/// The unit per-client connection limits count in: an IPv4 address, or an IPv6 /64 (the block one
/// subscriber gets, so rotating through it buys nothing). Loopback is a client like any other.
/// </summary>
internal readonly record struct ClientAddress(IPAddress Address, int PrefixLength)
{
    private const int Ipv6ClientPrefix = 64;

    /// <returns>The client of a TCP peer; null for peers without an IP address (Unix sockets).</returns>
    public static ClientAddress? Of(EndPoint? remote)
    {
        if (remote is not IPEndPoint { Address: var address })
        {
            return null;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return new ClientAddress(address, 32);
        }

        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out _);
        bytes[(Ipv6ClientPrefix / 8)..].Clear();
        return new ClientAddress(new IPAddress(bytes), Ipv6ClientPrefix);
    }

    public override string ToString() => PrefixLength == 32 ? Address.ToString() : $"{Address}/{PrefixLength}";
}
