using System.Globalization;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using LlamaSwap.Core.Processes;

namespace LlamaSwap.Supervisor.Processes;

/// <summary>
/// The port on this machine an upstream is told to listen on, which no other process may answer:
/// the model's proxy port, when the proxy's host is a local address and the command (or its
/// environment) names that port, as every <c>${PORT}</c> model's command does.
/// </summary>
/// <remarks>
/// Without it, whoever already listens there (a leftover, a second model configured on the same
/// port, a hostile local process) passes the health check and gets the model's traffic, while the
/// real upstream fails to bind and exits. A command that does not name the port (a wrapper waking a
/// server run by someone else) makes no claim on it, and neither does a proxy to another host: for
/// those there is nothing to check.
/// </remarks>
internal sealed record UpstreamPort
{
    public required string ModelId { get; init; }

    /// <summary>The proxy's <c>host:port</c>, for messages: <c>127.0.0.1:5801</c>, <c>localhost:5801</c>, <c>[::1]:5801</c>.</summary>
    public required string Display { get; init; }

    public required int Port { get; init; }

    /// <summary>The addresses a connection to the proxy's host goes to (both loopbacks for <c>localhost</c>).</summary>
    public required IReadOnlyList<IPAddress> Addresses { get; init; }

    /// <summary>The port <paramref name="spec"/>'s command is told to listen on; null when it claims none on this machine.</summary>
    public static UpstreamPort? Of(ProcessSpec spec)
    {
        var proxy = spec.Proxy;
        var port = proxy.Port;
        if (port <= 0 || !spec.Command.Concat(spec.Env.Select(e => e.Value)).Any(text => Names(text, port)))
        {
            return null;
        }

        var addresses = LocalAddressesOf(proxy.DnsSafeHost);
        return addresses is null ? null : new UpstreamPort
        {
            ModelId = spec.ModelId,
            Display = $"{proxy.Host}:{port.ToString(CultureInfo.InvariantCulture)}",
            Port = port,
            Addresses = addresses,
        };
    }

    /// <summary>Whether a connection to the proxy may reach a socket listening on <paramref name="local"/>.</summary>
    public bool Covers(IPEndPoint local)
        => local.Port == Port && Addresses.Any(target => Reaches(local.Address, target));

    /// <summary>The sockets listening where a connection to the proxy may arrive; null when the kernel cannot be asked.</summary>
    public IReadOnlyList<ListeningSocket>? Listeners()
        => ListeningSockets.Read(Port) is { } all ? [.. all.Where(listener => Covers(listener.Local))] : null;

    /// <summary>Whether <paramref name="text"/> contains <paramref name="port"/> as a number of its own (<c>--port=5801</c>, not <c>15801</c>).</summary>
    internal static bool Names(string text, int port)
    {
        var digits = port.ToString(CultureInfo.InvariantCulture);
        for (var at = text.IndexOf(digits, StringComparison.Ordinal); at >= 0; at = text.IndexOf(digits, at + 1, StringComparison.Ordinal))
        {
            var end = at + digits.Length;
            if ((at == 0 || !char.IsAsciiDigit(text[at - 1])) && (end == text.Length || !char.IsAsciiDigit(text[end])))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// What <paramref name="host"/> stands for when it is this machine; null for any other host.
    /// Names other than <c>localhost</c> are not resolved: a DNS lookup could stall a start, and a
    /// proxy naming this machine by its hostname is not what <c>${PORT}</c> gives.
    /// </summary>
    private static IPAddress[]? LocalAddressesOf(string host)
    {
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase))
        {
            return [IPAddress.Loopback, IPAddress.IPv6Loopback];
        }

        if (!IPAddress.TryParse(host, out var address))
        {
            return null;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        return IPAddress.IsLoopback(address) || IsInterfaceAddress(address) ? [address] : null;
    }

    private static bool IsInterfaceAddress(IPAddress address)
    {
        try
        {
            return NetworkInterface.GetAllNetworkInterfaces()
                .SelectMany(nic => nic.GetIPProperties().UnicastAddresses)
                .Any(unicast => unicast.Address.Equals(address));
        }
        catch (NetworkInformationException)
        {
            return false;
        }
    }

    private static bool Reaches(IPAddress bound, IPAddress target)
    {
        if (bound.Equals(target) || bound.Equals(IPAddress.IPv6Any))
        {
            // "::" takes IPv4 connections too unless the socket is IPV6_V6ONLY, which /proc does not show.
            return true;
        }

        return target.AddressFamily == AddressFamily.InterNetwork
            && (bound.Equals(IPAddress.Any) || (bound.IsIPv4MappedToIPv6 && bound.MapToIPv4().Equals(target)));
    }
}
