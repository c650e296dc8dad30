using System.Net;
using System.Net.Sockets;
using LlamaSwap.Core.Processes;
using LlamaSwap.Tests.Infrastructure;

namespace LlamaSwap.Tests.Core.Processes;

public sealed class ListeningSocketsTests
{
    [Fact]
    public void Read_ASocketWeListenOn_IsListedAndHeldByThisProcess()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        var port = ((IPEndPoint)socket.LocalEndpoint).Port;

        var listener = Assert.Single(ListeningSockets.Read(port)!);

        Assert.Equal(new IPEndPoint(IPAddress.Loopback, port), listener.Local);
        Assert.Contains(listener.Inode, ProcFs.SocketInodes(Environment.ProcessId)!);
        Assert.Equal(Environment.ProcessId, ProcFs.SocketHolder(listener.Inode));
    }

    [Fact]
    public void Read_NobodyListening_IsEmpty()
        => Assert.Empty(ListeningSockets.Read(FreePorts.Next())!);

    [Fact]
    public void SockDiagAndProcNetTcp_DescribeTheSameSockets()
    {
        using var v4 = new TcpListener(IPAddress.Loopback, 0);
        v4.Start();
        using var v6 = new TcpListener(IPAddress.IPv6Any, 0);
        v6.Start();
        var ports = new[] { v4, v6 }.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToHashSet();

        var fromNetlink = SockDiag.ReadListeners()!.Where(l => ports.Contains(l.Local.Port)).OrderBy(l => l.Inode).ToList();
        var fromProc = ProcNetTcp.ReadListeners()!.Where(l => ports.Contains(l.Local.Port)).OrderBy(l => l.Inode).ToList();

        Assert.Equal(2, fromNetlink.Count);
        Assert.Equal(fromProc, fromNetlink);
        Assert.Contains(fromNetlink, l => l.Local.Address.Equals(IPAddress.IPv6Any));
    }

    [Fact]
    public async Task ProcNetTcp_ListenerOpenedAfterConnections_IsFound_AlthoughReadingStopsAtTheFirstConnection()
    {
        using var first = new TcpListener(IPAddress.Loopback, 0);
        first.Start();
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)first.LocalEndpoint).Port);
        using var accepted = await first.AcceptTcpClientAsync();
        using var second = new TcpListener(IPAddress.Loopback, 0);
        second.Start();

        var listener = Assert.Single(ProcNetTcp.ReadListeners()!, l => l.Local.Port == ((IPEndPoint)second.LocalEndpoint).Port);

        Assert.Equal(second.LocalEndpoint, listener.Local);
    }
}
