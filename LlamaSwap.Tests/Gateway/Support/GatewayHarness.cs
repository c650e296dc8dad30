using LlamaSwap.Core.Events;
using LlamaSwap.Core.Configuration;
using LlamaSwap.Core.Security;
using LlamaSwap.Core.State;
using LlamaSwap.Gateway.Configuration;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace LlamaSwap.Tests.Gateway.Support;

/// <summary>A gateway on a real socket, wired to a fake supervisor whose leases point at a fake upstream.</summary>
internal sealed class GatewayHarness : IAsyncDisposable
{
    private GatewayHarness(WebApplication gateway, string url, FakeSupervisor supervisor, FakeUpstream upstream)
    {
        Gateway = gateway;
        Url = url;
        Supervisor = supervisor;
        Upstream = upstream;
        Client = new HttpClient(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false })
        {
            BaseAddress = new Uri(url),
            Timeout = TimeSpan.FromSeconds(30),
        };
    }

    public WebApplication Gateway { get; }

    public string Url { get; }

    public FakeSupervisor Supervisor { get; }

    public FakeUpstream Upstream { get; }

    public HttpClient Client { get; }

    /// <summary>The key-claim secret every harness gateway verifies with (what the auth proxy would sign with).</summary>
    public const string ClaimSecret = "gateway-harness-secret";

    private static readonly KeyClaimSigner Signer = new(ClaimSecret, TimeProvider.System);

    /// <summary>A signed claim of the key <paramref name="name"/> for one <paramref name="method"/> request, as the auth proxy sends it.</summary>
    public static string Claim(string name, string method, IReadOnlyList<string>? models = null)
        => Signer.Sign(new KeyClaim(name, models ?? ["*"]), method);

    public static LlamaSwapConfig DefaultConfig(string upstreamUrl) => new()
    {
        IncludeAliasesInList = true,
        Models = new Dictionary<string, ModelConfig>
        {
            ["author/model"] = Model("author/model", upstreamUrl),
            ["llama"] = Model("llama", upstreamUrl) with
            {
                Aliases = ["gpt-4o-mini"],
                Name = "  Llama 3  ",
                Description = "A test model",
            },
            ["qwen"] = Model("qwen", upstreamUrl) with { UseModelName = "Qwen/Qwen3-8B" },
            ["secret"] = Model("secret", upstreamUrl) with { Unlisted = true, Aliases = ["secret-alias"] },
        },
        Aliases = new Dictionary<string, string>
        {
            ["gpt-4o-mini"] = "llama",
            ["secret-alias"] = "secret",
        },
    };

    public static ModelConfig Model(string id, string upstreamUrl) => new()
    {
        Id = id,
        CmdText = $"llama-server --model {id}",
        Command = ["llama-server", "--model", id],
        Proxy = new Uri(upstreamUrl),
    };

    public static async Task<GatewayHarness> StartAsync(
        Func<string, LlamaSwapConfig>? config = null, IModelStateStore? store = null, string[]? extraArgs = null, IEventBus? bus = null)
    {
        var upstream = await FakeUpstream.StartAsync();
        var supervisor = await FakeSupervisor.StartAsync(upstream.Url);
        var args = new[]
        {
            "--urls", "http://127.0.0.1:0",
            $"--services:supervisor:http:0={supervisor.Url}",
            "--Logging:LogLevel:Default=Warning",
            $"--{KeyClaimSigner.SecretSetting}={ClaimSecret}",
        }.Concat(extraArgs ?? []).ToArray();
        var gateway = LlamaSwap.Gateway.Program.BuildApp(args, services =>
        {
            services.AddSingleton(new ConfigHolder((config ?? DefaultConfig)(upstream.Url)));
            if (store is not null)
            {
                services.AddSingleton(store);
            }

            if (bus is not null)
            {
                services.AddSingleton(bus);
            }
        });
        Assert.True(LlamaSwap.Gateway.Program.ValidateStartup(gateway));
        await gateway.StartAsync();
        return new GatewayHarness(gateway, LoopbackServer.BoundUrl(gateway), supervisor, upstream);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Gateway.DisposeAsync();
        await Supervisor.DisposeAsync();
        await Upstream.DisposeAsync();
    }
}
