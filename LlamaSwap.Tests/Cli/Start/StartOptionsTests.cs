using LlamaSwap.Cli.CommandLine;
using LlamaSwap.Cli.Start;
using LlamaSwap.Core.Configuration.Reload;
using LlamaSwap.Core.Hosting;

namespace LlamaSwap.Tests.Cli.Start;

/// <summary>llama-swap's and the seed <c>start.sh</c>'s flags, and what they make the launcher start.</summary>
public sealed class StartOptionsTests : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("llamaswap-options-").FullName;

    public void Dispose() => Directory.Delete(_work, recursive: true);

    [Fact]
    public void LlamaSwapLine_ConfigAndListen()
    {
        File.WriteAllText(Path.Combine(_work, "config.yaml"), "models: {}\n");
        var options = Parse("--config", "config.yaml", "--listen", "127.0.0.1:8080");

        Assert.Equal(Path.Combine(_work, "config.yaml"), options.ConfigPath);
        Assert.Equal(new ListenAddress("127.0.0.1", 8080), options.Listen);
        Assert.True(options.Listen.IsLoopback);
        Assert.True(options.WatchConfig, "watching is on by default, as the seed's start.sh");
    }

    [Theory]
    [InlineData(":8080", null, 8080, "http://0.0.0.0:8080", "http://localhost:8080")]
    [InlineData("0.0.0.0:9292", "0.0.0.0", 9292, "http://0.0.0.0:9292", "http://localhost:9292")]
    [InlineData("[::1]:8080", "::1", 8080, "http://[::1]:8080", "http://[::1]:8080")]
    [InlineData("localhost:3000", "localhost", 3000, "http://localhost:3000", "http://localhost:3000")]
    public void ListenAddresses(string text, string? host, int port, string bind, string local)
    {
        var listen = ListenAddress.Parse(text);
        Assert.Equal(new ListenAddress(host, port), listen);
        Assert.Equal(bind, listen.BindUrl(tls: false));
        Assert.Equal(local, listen.LocalUrl(tls: false));
    }

    [Theory]
    [InlineData("8080")]
    [InlineData("host:")]
    [InlineData(":70000")]
    public void BadListen_IsAUsageError(string text) => Assert.Throws<UsageException>(() => ListenAddress.Parse(text));

    [Fact]
    public void SeedFlags_ProxyPortIsListenOnEveryInterface_NoWatchTurnsWatchingOff()
    {
        var options = Parse("--port", "8081", "--proxy-port", "3001", "--no-watch", "--bg");
        Assert.Equal(new ListenAddress(null, 3001), options.Listen);
        Assert.Equal(8081, options.GatewayPort);
        Assert.False(options.WatchConfig);
        Assert.True(options.Background);
    }

    [Theory]
    [InlineData("--listen", ":1", "--proxy-port", "2")]
    [InlineData("--watch-config", "--no-watch")]
    public void Contradictions_AreRefused(params string[] args) => Assert.Throws<UsageException>(() => Parse(args));

    [Fact]
    public void TlsFiles_GoTogether_AndMustExist()
    {
        File.WriteAllText(Path.Combine(_work, "cert.pem"), "x");
        Assert.Contains("go together", Assert.Throws<UsageException>(() => Parse("--tls-cert-file", "cert.pem")).Message, StringComparison.Ordinal);
        Assert.Contains("not found", Assert.Throws<UsageException>(() => Parse("--tls-cert-file", "cert.pem", "--tls-key-file", "missing.pem")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_WiresTheServicesAsTheAppHostDoes()
    {
        File.WriteAllText(Path.Combine(_work, "config.yaml"), "models: {}\n");
        File.WriteAllText(Path.Combine(_work, "cert.pem"), "x");
        File.WriteAllText(Path.Combine(_work, "key.pem"), "x");
        var options = Parse("-config", "config.yaml", "-listen", ":8443", "-tls-cert-file", "cert.pem", "-tls-key-file", "key.pem");
        var ports = new Queue<int>([41001, 41002, 41003]);
        var plan = StackPlan.Create(options, Layout(), _work, "/home/user/here", ports.Dequeue);

        Assert.Equal(8080, plan.GatewayPort);
        Assert.Equal(["supervisor", "gateway", "auth-proxy"], plan.Services.Select(s => s.Name));
        var authProxy = plan.Services[2].Environment;
        Assert.Equal("https://0.0.0.0:8443", authProxy["ASPNETCORE_URLS"]);
        Assert.Equal(Path.Combine(_work, "cert.pem"), authProxy["Kestrel__Certificates__Default__Path"]);
        Assert.Equal(Path.Combine(_work, "key.pem"), authProxy["Kestrel__Certificates__Default__KeyPath"]);
        Assert.Equal("http://127.0.0.1:8080", authProxy[WiringEnvironment.GatewayUrl]);
        Assert.Equal("https://localhost:8443/health", plan.Services[2].HealthUrl);
        Assert.All(plan.Services, s =>
        {
            Assert.Equal(Path.Combine(_work, "config.yaml"), s.Environment[WiringEnvironment.ConfigPath]);
            Assert.Equal("1", s.Environment[ConfigReloader.WatchSwitch]);
            Assert.Equal("1", s.Environment[WiringEnvironment.ExitWithParent]);
            Assert.Equal("/home/user/here", s.Environment[WiringEnvironment.WorkDirectory]);
            Assert.Equal(plan.RedisConnection, s.Environment[WiringEnvironment.RedisConnection]);
        });
        Assert.Equal(plan.Services[1].Environment["LLAMASWAP_INTERNAL_SECRET"], authProxy["LLAMASWAP_INTERNAL_SECRET"]);
        Assert.False(plan.Services[0].Environment.ContainsKey("LLAMASWAP_INTERNAL_SECRET"), "the supervisor has no use for the key-claim secret");
    }

    [Fact]
    public void Plan_ListenOn8080_MovesTheGatewayToAFreePort()
    {
        File.WriteAllText(Path.Combine(_work, "config.yaml"), "models: {}\n");
        var plan = StackPlan.Create(Parse("-config", "config.yaml", "-listen", ":8080"), Layout(), _work, _work, () => 41234);
        Assert.Equal(41234, plan.GatewayPort);
        Assert.Throws<UsageException>(() => StackPlan.Create(Parse("-config", "config.yaml", "-listen", ":8080", "-port", "8080"), Layout(), _work, _work, () => 1));
    }

    [Fact]
    public void Plan_WithoutConfig_WritesTheDemo()
    {
        var plan = StackPlan.Create(Parse(), Layout(), _work, _work, () => 41000);
        Assert.True(plan.IsDemo);
        Assert.Equal(Path.Combine(_work, DemoConfig.FileName), plan.ConfigPath);
        Assert.Contains("/test-upstream/LlamaSwap.TestUpstream.dll", File.ReadAllText(plan.ConfigPath), StringComparison.Ordinal);
    }

    private StartOptions Parse(params string[] args)
        => StartOptionsParser.Parse(GoFlags.Parse(args, StartOptionsParser.Booleans, StartOptionsParser.WithValue), _work);

    private static ReleaseLayout Layout() => new("/r/supervisor/LlamaSwap.Supervisor.dll", "/r/gateway/LlamaSwap.Gateway.dll", "/r/auth-proxy/LlamaSwap.AuthProxy.dll", "/r/test-upstream/LlamaSwap.TestUpstream.dll");
}
