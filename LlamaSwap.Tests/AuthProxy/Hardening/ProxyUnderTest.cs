using System.Net;
using LlamaSwap.AuthProxy.Hardening;
using LlamaSwap.AuthProxy.Keys;
using LlamaSwap.Tests.Gateway.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace LlamaSwap.Tests.AuthProxy.Hardening;

/// <summary>The auth proxy in-process on 127.0.0.1, with a key, in front of a fake gateway the test supplies.</summary>
internal sealed class ProxyUnderTest : IAsyncDisposable
{
    public const string Key = "sk-slowloris-test";

    private ProxyUnderTest(WebApplication gateway, WebApplication proxy)
    {
        Gateway = gateway;
        Proxy = proxy;
        var url = new Uri(LoopbackServer.BoundUrl(proxy));
        Url = url;
        EndPoint = new IPEndPoint(IPAddress.Loopback, url.Port);
    }

    public WebApplication Gateway { get; }

    public WebApplication Proxy { get; }

    public Uri Url { get; }

    public IPEndPoint EndPoint { get; }

    public ClientConnectionLimiter Limiter => Proxy.Services.GetRequiredService<ClientConnectionLimiter>();

    /// <param name="gateway">What the fake gateway answers to everything.</param>
    /// <param name="limits"><c>AuthProxy:Limits</c> settings as <c>Name=value</c>.</param>
    public static async Task<ProxyUnderTest> StartAsync(RequestDelegate gateway, params string[] limits)
    {
        var (gatewayApp, gatewayUrl) = await LoopbackServer.StartAsync(app => app.Map("/{**path}", gateway));
        string[] args =
        [
            "--urls", "http://127.0.0.1:0", $"--services:gateway:http:0={gatewayUrl}", "--Logging:LogLevel:Default=Warning",
            "--Logging:LogLevel:Microsoft.AspNetCore.Server.Kestrel=Error",
            .. limits.Select(l => $"--AuthProxy:Limits:{l}"),
        ];
        var proxy = LlamaSwap.AuthProxy.Program.BuildApp(args, services => services.AddSingleton(new ApiKeySet([Key])));
        await proxy.StartAsync();
        return new ProxyUnderTest(gatewayApp, proxy);
    }

    /// <summary>A client whose every request opens a new connection, with the key.</summary>
    public HttpClient NewClient(TimeSpan timeout) => new(new SocketsHttpHandler { UseProxy = false, PooledConnectionLifetime = TimeSpan.Zero })
    {
        BaseAddress = Url,
        Timeout = timeout,
        DefaultRequestHeaders = { Authorization = new("Bearer", Key) },
    };

    public async ValueTask DisposeAsync()
    {
        await Proxy.DisposeAsync();
        await Gateway.DisposeAsync();
    }
}
