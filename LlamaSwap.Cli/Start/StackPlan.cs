using System.Globalization;
using System.Net;
using System.Net.Sockets;
using LlamaSwap.Core.Configuration.Reload;
using LlamaSwap.Core.Hosting;
using LlamaSwap.Core.Security;

namespace LlamaSwap.Cli.Start;

/// <summary>
/// What one run starts, decided before anything starts: ports, and each program with its
/// environment. The same wiring as the AppHost's app model (<c>LlamaSwapModel</c>), as environment
/// variables named as Aspire names them (<see cref="WiringEnvironment"/>).
/// </summary>
internal sealed record StackPlan
{
    public required StartOptions Options { get; init; }

    public required string ConfigPath { get; init; }

    public required bool IsDemo { get; init; }

    public required string RunDirectory { get; init; }

    public required int GatewayPort { get; init; }

    public required int SupervisorPort { get; init; }

    /// <summary>Null with an external Redis.</summary>
    public ProcessSpec? Redis { get; init; }

    public required string RedisConnection { get; init; }

    /// <summary>In start order: supervisor, gateway, auth proxy (the request path reversed).</summary>
    public required IReadOnlyList<ProcessSpec> Services { get; init; }

    public string FrontDoor => Options.Listen.LocalUrl(Options.Tls);

    public string GatewayUrl => $"http://127.0.0.1:{GatewayPort.ToString(CultureInfo.InvariantCulture)}";

    public string SupervisorUrl => $"http://127.0.0.1:{SupervisorPort.ToString(CultureInfo.InvariantCulture)}";

    public static StackPlan Create(StartOptions options, ReleaseLayout layout, string runDirectory, string workingDirectory, Func<int> freePort)
    {
        var isDemo = options.ConfigPath is null && options.ConfigDir is null;
        var configPath = options.ConfigPath ?? (isDemo ? DemoConfig.Write(runDirectory, layout.TestUpstream) : string.Empty);

        var publicPort = options.Listen.Port;
        var gatewayPort = options.GatewayPort ?? (publicPort == StartOptions.DefaultGatewayPort ? freePort() : StartOptions.DefaultGatewayPort);
        if (gatewayPort == publicPort)
        {
            throw new CommandLine.UsageException($"the gateway port (--port {gatewayPort}) and the public port (--listen) must differ");
        }

        var supervisorPort = options.SupervisorPort ?? freePort();
        ProcessSpec? redis = null;
        var redisConnection = options.Redis;
        if (redisConnection is null)
        {
            var port = freePort();
            redis = RedisSpec(port);
            redisConnection = $"127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}";
        }

        var secret = Environment.GetEnvironmentVariable(KeyClaimSigner.SecretSetting) is { Length: > 0 } given ? given : KeyClaimSigner.NewSecret();
        var common = new Dictionary<string, string>
        {
            [WiringEnvironment.ConfigPath] = configPath,
            [WiringEnvironment.RedisConnection] = redisConnection,
            [WiringEnvironment.ExitWithParent] = "1",
            [WiringEnvironment.SupervisorUrl] = $"http://127.0.0.1:{supervisorPort.ToString(CultureInfo.InvariantCulture)}",
            [WiringEnvironment.GatewayUrl] = $"http://127.0.0.1:{gatewayPort.ToString(CultureInfo.InvariantCulture)}",
            [WiringEnvironment.WorkDirectory] = workingDirectory,
            ["DOTNET_ENVIRONMENT"] = "Production",
        };
        if (options.ConfigDir is { } configDir)
        {
            common[WiringEnvironment.ConfigDir] = configDir;
        }

        if (options.WatchConfig)
        {
            common[ConfigReloader.WatchSwitch] = "1";
        }

        var supervisor = Service("supervisor", layout.Supervisor, $"http://127.0.0.1:{supervisorPort.ToString(CultureInfo.InvariantCulture)}", common, new()
        {
            [WiringEnvironment.RunDirectory] = runDirectory,
        });
        var gateway = Service("gateway", layout.Gateway, $"http://127.0.0.1:{gatewayPort.ToString(CultureInfo.InvariantCulture)}", common, new()
        {
            [KeyClaimSigner.SecretSetting] = secret,
        });
        var authProxyEnvironment = new Dictionary<string, string> { [KeyClaimSigner.SecretSetting] = secret };
        if (options.Tls)
        {
            // Kestrel's own default certificate, from PEM files.
            authProxyEnvironment["Kestrel__Certificates__Default__Path"] = options.TlsCertFile!;
            authProxyEnvironment["Kestrel__Certificates__Default__KeyPath"] = options.TlsKeyFile!;
        }

        var authProxy = Service("auth-proxy", layout.AuthProxy, options.Listen.BindUrl(options.Tls), common, authProxyEnvironment) with
        {
            HealthUrl = options.Listen.LocalUrl(options.Tls) + "/health",
        };

        return new StackPlan
        {
            Options = options,
            ConfigPath = configPath,
            IsDemo = isDemo,
            RunDirectory = runDirectory,
            GatewayPort = gatewayPort,
            SupervisorPort = supervisorPort,
            Redis = redis,
            RedisConnection = redisConnection,
            Services = [supervisor, gateway, authProxy],
        };
    }

    public static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static ProcessSpec Service(string name, string dll, string url, Dictionary<string, string> common, Dictionary<string, string> own)
    {
        var environment = new Dictionary<string, string>(common) { ["ASPNETCORE_URLS"] = url };
        foreach (var (key, value) in own)
        {
            environment[key] = value;
        }

        // The program's own native launcher when built with one: it finds the runtime as this CLI's did,
        // and the process is named after the service in ps and top.
        var native = Path.ChangeExtension(dll, null);
        return new ProcessSpec
        {
            Name = name,
            FileName = File.Exists(native) ? native : DotnetHost(),
            Arguments = File.Exists(native) ? [] : [dll],
            Environment = environment,
            HealthUrl = url + "/health",
        };
    }

    /// <summary>
    /// Redis as a cache of state that dies with the launcher: no persistence, loopback only, and
    /// (on Linux) a death signal tied to the launcher, so even <c>kill -9</c> of the launcher leaves
    /// no redis-server behind.
    /// </summary>
    private static ProcessSpec RedisSpec(int port)
    {
        var redisServer = ExecutableLocator.FindOnPath("redis-server")
            ?? throw new FileNotFoundException("redis-server is not on PATH: install it (Debian/Ubuntu: apt install redis-server; macOS: brew install redis) or pass --redis HOST:PORT");
        string[] redisArgs = ["--port", port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"];
        var setpriv = OperatingSystem.IsLinux() ? ExecutableLocator.FindOnPath("setpriv") : null;
        return new ProcessSpec
        {
            Name = "redis",
            FileName = setpriv ?? redisServer,
            Arguments = setpriv is null ? redisArgs : ["--pdeathsig", "TERM", "--", redisServer, .. redisArgs],
            RedisPort = port,
        };
    }

    /// <summary>The <c>dotnet</c> host running this launcher, so the services use the same runtime.</summary>
    private static string DotnetHost()
        => Environment.ProcessPath is { } self && Path.GetFileNameWithoutExtension(self) == "dotnet"
            ? self
            : Environment.GetEnvironmentVariable("DOTNET_ROOT") is { Length: > 0 } root && File.Exists(Path.Combine(root, "dotnet"))
                ? Path.Combine(root, "dotnet")
                : ExecutableLocator.FindOnPath("dotnet") ?? "dotnet";
}
