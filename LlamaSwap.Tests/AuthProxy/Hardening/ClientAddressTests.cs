using System.Net;
using System.Net.Sockets;
using LlamaSwap.AuthProxy.Hardening;

namespace LlamaSwap.Tests.AuthProxy.Hardening;

public sealed class ClientAddressTests
{
    [Fact]
    public void Ipv4MappedToIpv6_IsTheIpv4Client()
    {
        var mapped = ClientAddress.Of(new IPEndPoint(IPAddress.Parse("::ffff:192.0.2.7"), 5000));

        Assert.Equal(new ClientAddress(IPAddress.Parse("192.0.2.7"), 32), mapped);
        Assert.Equal("192.0.2.7", mapped.ToString());
    }

    [Fact]
    public void Ipv6AddressesInOneSlash64_AreOneClient_OtherSlash64sAnother()
    {
        var one = ClientAddress.Of(new IPEndPoint(IPAddress.Parse("2001:db8:1:2:aaaa::1"), 1));
        var sameBlock = ClientAddress.Of(new IPEndPoint(IPAddress.Parse("2001:db8:1:2:ffff:ffff:ffff:ffff"), 2));
        var otherBlock = ClientAddress.Of(new IPEndPoint(IPAddress.Parse("2001:db8:1:3::1"), 1));

        Assert.Equal(one, sameBlock);
        Assert.NotEqual(one, otherBlock);
        Assert.Equal("2001:db8:1:2::/64", one.ToString());
    }

    [Fact]
    public void LoopbackAddresses_AreDistinctClients()
    {
        Assert.NotEqual(
            ClientAddress.Of(new IPEndPoint(IPAddress.Parse("127.0.0.1"), 1)),
            ClientAddress.Of(new IPEndPoint(IPAddress.Parse("127.0.0.2"), 1)));
    }

    [Fact]
    public void NonIpPeer_HasNoClientAddress() => Assert.Null(ClientAddress.Of(new UnixDomainSocketEndPoint("/tmp/x.sock")));
}
