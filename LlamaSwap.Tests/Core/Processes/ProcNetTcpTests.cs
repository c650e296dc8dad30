using System.Net;
using System.Net.Sockets;
using LlamaSwap.Core.Processes;
using LlamaSwap.Tests.Infrastructure;

namespace LlamaSwap.Tests.Core.Processes;

public sealed class ProcNetTcpTests
{
    [Fact]
    public void Parse_Ipv4ListenLine_GivesAddressPortUidAndInode()
    {
        var listener = ProcNetTcp.Parse("   0: 0100007F:16A9 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 123456 1 0000000000000000 100 0 0 10 0");

        Assert.NotNull(listener);
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 5801), listener.Local);
        Assert.Equal(1000, listener.Uid);
        Assert.Equal(123456UL, listener.Inode);
    }

    [Theory]
    [InlineData("00000000000000000000000001000000", "::1")]
    [InlineData("00000000000000000000000000000000", "::")]
    [InlineData("0000000000000000FFFF00000100007F", "::ffff:127.0.0.1")]
    public void Parse_Ipv6ListenLine_ReadsTheAddressWordByWord(string hex, string expected)
    {
        var listener = ProcNetTcp.Parse($"   1: {hex}:16A9 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 42 1 0000000000000000 100 0 0 10 0");

        Assert.Equal(IPAddress.Parse(expected), listener?.Local.Address);
    }

    [Theory]
    [InlineData("   2: 0100007F:16A9 0100007F:C350 01 00000000:00000000 00:00000000 00000000  1000        0 777 1 0000000000000000 20 4 30 10 -1")]
    [InlineData("   3: 0100007F:16A9 0100007F:C350 06 00000000:00000000 03:00000F5A 00000000     0        0 0 3 0000000000000000")]
    [InlineData("  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode")]
    public void Parse_NotAListener_IsNull(string line)
        => Assert.Null(ProcNetTcp.Parse(line));
}
