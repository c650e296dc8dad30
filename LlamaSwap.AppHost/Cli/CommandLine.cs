using System.Globalization;
using LlamaSwap.AppHost.Dashboard;

namespace LlamaSwap.AppHost.Cli;

/// <summary>
/// Hand-written parser, kept small and dependency-free: <c>[publish] --name value</c>
/// or <c>--name=value</c>.
/// </summary>
internal static class CommandLine
{
    public const string Usage = """
        Usage:
          dotnet run --project LlamaSwap.AppHost -- [options]          run every service locally
          dotnet run --project LlamaSwap.AppHost -- publish [options]  write aspire-manifest.json and docker-compose.yml

        Run options:
          --config FILE          llama-swap YAML config (default: a demo config with test upstreams)
          --config-dir DIR       directory of *.yml/*.yaml files merged after --config, by file name
          --port N               gateway port on 127.0.0.1 (default 8080)
          --proxy-port N         public auth proxy port on 0.0.0.0 (default 3000)
          --supervisor-port N    supervisor port on 127.0.0.1 (default: a free port)
          --redis CONNSTR        use this Redis (default: ConnectionStrings__redis, else start
                                 redis-server from PATH, else the garnet-server dotnet tool)
          --watch-config         reload the config when the file changes (checked every 2 s);
                                 SIGHUP to the AppHost reloads it in any case
          --dashboard-port N     Aspire dashboard on http://127.0.0.1:N (default 18888); its
                                 OTLP receiver listens on N+1, the resource service on N+2
          --no-dashboard         no Aspire dashboard, and so no telemetry export (the lightest run)
          -- ARGS                everything after -- goes to Aspire unchanged

        Publish options:
          --output DIR           output directory (default ./publish): aspire-manifest.json
                                 (Aspire's manifest publisher), docker-compose.yml generated
                                 from it, a Dockerfile and config.yaml
          --config FILE          config to copy to DIR/config.yaml (mounted at /config/config.yaml)
        """;

    public static AppHostCommand Parse(IReadOnlyList<string> args, string? currentDirectory = null)
    {
        var cwd = currentDirectory ?? Environment.CurrentDirectory;
        var separator = args.ToList().IndexOf("--");
        var passThrough = separator >= 0 ? args.Skip(separator + 1).ToArray() : [];
        IReadOnlyList<string> own = separator >= 0 ? args.Take(separator).ToList() : args;
        var isPublish = own.Count > 0 && own[0] == "publish";
        var options = ReadOptions(isPublish ? own.Skip(1).ToList() : own);

        if (options.ContainsKey("help"))
        {
            return new HelpCommand();
        }

        return isPublish ? ParsePublish(options, cwd) : ParseRun(options, cwd, passThrough);
    }

    private static RunOptions ParseRun(Dictionary<string, string> options, string cwd, string[] passThrough)
    {
        RejectUnknown(options, "config", "config-dir", "port", "proxy-port", "supervisor-port", "redis", "watch-config", "dashboard-port", "no-dashboard");
        return new RunOptions
        {
            AspireArgs = passThrough,
            Dashboard = !options.ContainsKey("no-dashboard"),
            DashboardPort = options.TryGetValue("dashboard-port", out var dashboard) ? Port("dashboard-port", dashboard, max: 65533) : DashboardSettings.DefaultPort,
            ConfigPath = options.TryGetValue("config", out var config) ? ExistingFile(config, cwd) : null,
            ConfigDir = options.TryGetValue("config-dir", out var configDir) ? ExistingDirectory(configDir, cwd) : null,
            GatewayPort = options.TryGetValue("port", out var port) ? Port("port", port) : RunOptions.DefaultGatewayPort,
            ProxyPort = options.TryGetValue("proxy-port", out var proxy) ? Port("proxy-port", proxy) : RunOptions.DefaultProxyPort,
            SupervisorPort = options.TryGetValue("supervisor-port", out var supervisor) ? Port("supervisor-port", supervisor) : null,
            RedisConnectionString = options.GetValueOrDefault("redis"),
            WatchConfig = options.ContainsKey("watch-config"),
        };
    }

    private static PublishOptions ParsePublish(Dictionary<string, string> options, string cwd)
    {
        RejectUnknown(options, "output", "config");
        return new PublishOptions
        {
            OutputDirectory = Path.GetFullPath(options.GetValueOrDefault("output") ?? PublishOptions.DefaultOutput, cwd),
            ConfigPath = options.TryGetValue("config", out var config) ? ExistingFile(config, cwd) : null,
        };
    }

    private static Dictionary<string, string> ReadOptions(IReadOnlyList<string> args)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg is "-h" or "--help")
            {
                options["help"] = "";
                continue;
            }

            if (arg is "--watch-config" or "--no-dashboard")
            {
                options[arg[2..]] = "";
                continue;
            }

            if (!arg.StartsWith("--", StringComparison.Ordinal) || arg.Length == 2)
            {
                throw new UsageException($"unexpected argument '{arg}'");
            }

            var name = arg[2..];
            string value;
            var equals = name.IndexOf('=', StringComparison.Ordinal);
            if (equals >= 0)
            {
                value = name[(equals + 1)..];
                name = name[..equals];
            }
            else if (i + 1 < args.Count)
            {
                value = args[++i];
            }
            else
            {
                throw new UsageException($"option --{name} needs a value");
            }

            if (!options.TryAdd(name, value))
            {
                throw new UsageException($"option --{name} given twice");
            }
        }

        return options;
    }

    private static void RejectUnknown(Dictionary<string, string> options, params string[] known)
    {
        foreach (var name in options.Keys)
        {
            if (!known.Contains(name))
            {
                throw new UsageException($"unknown option --{name}");
            }
        }
    }

    private static int Port(string name, string value, int max = 65535)
    {
        if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port < 1 || port > max)
        {
            throw new UsageException($"--{name} must be a port number (1-{max}), got '{value}'");
        }

        return port;
    }

    private static string ExistingDirectory(string path, string cwd)
    {
        var full = Path.GetFullPath(path, cwd);
        if (!Directory.Exists(full))
        {
            throw new UsageException($"config directory not found: {full}");
        }

        return full;
    }

    private static string ExistingFile(string path, string cwd)
    {
        var full = Path.GetFullPath(path, cwd);
        if (!File.Exists(full))
        {
            throw new UsageException($"config file not found: {full}");
        }

        return full;
    }
}
