using System.Net;
using LlamaSwap.Supervisor.Processes;

namespace LlamaSwap.Tests.Supervisor.Processes;

/// <summary>Which port an upstream claims on this machine, and which listening sockets a connection to its proxy may reach.</summary>
public sealed class UpstreamPortTests
{
    [Fact]
    public void Of_CommandNamesTheLoopbackPort_ClaimsIt()
    {
        var port = UpstreamPort.Of(Spec("http://127.0.0.1:5801", ["llama-server", "--port", "5801"]));

        Assert.NotNull(port);
        Assert.Equal("127.0.0.1:5801", port.Display);
        Assert.Equal(5801, port.Port);
        Assert.Equal([IPAddress.Loopback], port.Addresses);
    }

    [Fact]
    public void Of_Localhost_StandsForBothLoopbacks()
    {
        var port = UpstreamPort.Of(Spec("http://localhost:5801", ["sh", "-c", "exec llama-server --port=5801"]));

        Assert.Equal("localhost:5801", port?.Display);
        Assert.Equal([IPAddress.Loopback, IPAddress.IPv6Loopback], port!.Addresses);
    }

    [Fact]
    public void Of_PortNamedOnlyInTheModelsEnvironment_ClaimsIt()
        => Assert.NotNull(UpstreamPort.Of(Spec("http://[::1]:5801", ["server"]) with { Env = [new("PORT", "5801")] }));

    [Fact]
    public void Of_CommandDoesNotNameThePort_ClaimsNothing()
        => Assert.Null(UpstreamPort.Of(Spec("http://127.0.0.1:5801", ["wake-server", "--name", "m"])));

    [Theory]
    [InlineData("http://192.0.2.10:5801")]
    [InlineData("http://gpu-box.internal:5801")]
    public void Of_ProxyOnAnotherHost_ClaimsNothing(string proxy)
        => Assert.Null(UpstreamPort.Of(Spec(proxy, ["ssh", "gpu-box", "llama-server", "--port", "5801"])));

    [Theory]
    [InlineData("5801", true)]
    [InlineData("--port=5801", true)]
    [InlineData("127.0.0.1:5801", true)]
    [InlineData("-p 5801:8080", true)]
    [InlineData("15801", false)]
    [InlineData("58011", false)]
    [InlineData("--port 5800", false)]
    public void Names_ThePortAsANumberOfItsOwn(string text, bool expected)
        => Assert.Equal(expected, UpstreamPort.Names(text, 5801));

    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("0.0.0.0", true)]
    [InlineData("::", true)]
    [InlineData("::ffff:127.0.0.1", true)]
    [InlineData("127.0.0.2", false)]
    [InlineData("::1", false)]
    public void Covers_ForA127Proxy_TheSocketsAConnectionMayReach(string bound, bool expected)
    {
        var port = UpstreamPort.Of(Spec("http://127.0.0.1:5801", ["server", "5801"]))!;

        Assert.Equal(expected, port.Covers(new IPEndPoint(IPAddress.Parse(bound), 5801)));
    }

    [Fact]
    public void Covers_ForLocalhost_IncludesTheIpv6Loopback_ButNeverAnotherPort()
    {
        var port = UpstreamPort.Of(Spec("http://localhost:5801", ["server", "5801"]))!;

        Assert.True(port.Covers(new IPEndPoint(IPAddress.IPv6Loopback, 5801)));
        Assert.False(port.Covers(new IPEndPoint(IPAddress.Loopback, 5802)));
    }

    private static ProcessSpec Spec(string proxy, string[] command) => new()
    {
        ModelId = "alpha",
        Command = command,
        Proxy = new Uri(proxy),
        CheckEndpoint = "/health",
    };
}
