using System.Net;
using System.Net.Sockets;

namespace LlamaSwap.Tests.Infrastructure;

/// <summary>Whether this machine has the IPv6 loopback (<c>::1</c>), which <c>localhost</c> also stands for.</summary>
internal static class Ipv6Loopback
{
    /// <summary>Null when a socket can listen on <c>[::1]</c>; otherwise why tests that need it are skipped.</summary>
    public static string? MissingReason { get; } = Probe();

    private static string? Probe()
    {
        try
        {
            using var listener = new TcpListener(IPAddress.IPv6Loopback, 0);
            listener.Start();
            return null;
        }
        catch (SocketException ex)
        {
            return $"needs the IPv6 loopback ::1, which cannot be listened on here ({ex.SocketErrorCode})";
        }
    }
}

/// <summary>A fact that needs <see cref="Ipv6Loopback"/>: skipped, with the reason, where it is absent.</summary>
internal sealed class Ipv6LoopbackFactAttribute : FactAttribute
{
    public Ipv6LoopbackFactAttribute()
    {
        if (Ipv6Loopback.MissingReason is { } reason)
        {
            Skip = reason;
        }
    }
}

/// <summary>A theory that needs both <see cref="SharedLlamaServer"/> and <see cref="Ipv6Loopback"/>.</summary>
internal sealed class LlamaServerIpv6TheoryAttribute : TheoryAttribute
{
    public LlamaServerIpv6TheoryAttribute()
    {
        if ((SharedLlamaServer.MissingReason ?? Ipv6Loopback.MissingReason) is { } reason)
        {
            Skip = reason;
        }
    }
}
