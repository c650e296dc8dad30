using LlamaSwap.AuthProxy.Keys;
using LlamaSwap.Core.Configuration;
using LlamaSwap.Core.Security;
using LlamaSwap.Tests.Configuration;
using LlamaSwap.Tests.Gateway.Peers;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace LlamaSwap.Tests.Gateway.Support;

/// <summary>
/// The real auth proxy in front of the real gateway (fake supervisor and upstream, see
/// <see cref="GatewayHarness"/>) and a fake peer, with the auth proxy's keys taken from the same config.
/// </summary>
internal sealed class FrontDoorStack : IAsyncDisposable
{
    private FrontDoorStack(GatewayHarness gateway, FakePeer peer, WebApplication proxy)
    {
        Gateway = gateway;
        Peer = peer;
        Proxy = proxy;
        Client = new HttpClient(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false })
        {
            BaseAddress = new Uri(LoopbackServer.BoundUrl(proxy)),
        };
    }

    public GatewayHarness Gateway { get; }

    public FakePeer Peer { get; }

    public WebApplication Proxy { get; }

    /// <summary>A client of the auth proxy (the front door).</summary>
    public HttpClient Client { get; }

    /// <param name="yaml">The config, given the fake upstream's URL and the fake peer's URL.</param>
    /// <param name="proxySigns">Whether the auth proxy has the key-claim secret (it signs claims).</param>
    public static async Task<FrontDoorStack> StartAsync(Func<string, string, string> yaml, bool proxySigns = true)
    {
        var peer = await FakePeer.StartAsync();
        LlamaSwapConfig? loaded = null;
        var gateway = await GatewayHarness.StartAsync(upstream => loaded = ConfigAssert.Loads(yaml(upstream, peer.Url)));
        string[] args = ["--urls", "http://127.0.0.1:0", $"--services:gateway:http:0={gateway.Url}", "--Logging:LogLevel:Default=Warning"];
        if (proxySigns)
        {
            args = [.. args, $"--{KeyClaimSigner.SecretSetting}={GatewayHarness.ClaimSecret}"];
        }

        var proxy = LlamaSwap.AuthProxy.Program.BuildApp(args, services => services.AddSingleton(new ApiKeySet(loaded!.KeyDefinitions)));
        await proxy.StartAsync();
        return new FrontDoorStack(gateway, peer, proxy);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Proxy.DisposeAsync();
        await Gateway.DisposeAsync();
        await Peer.DisposeAsync();
    }
}
