using LlamaSwap.Cli.CommandLine;
using LlamaSwap.Cli.State;

namespace LlamaSwap.Cli.Start;

/// <summary>llama-swap's flags (reference 1.1) and the seed <c>start.sh</c>'s, for <c>llamaswap [start]</c>.</summary>
internal static class StartOptionsParser
{
    public static readonly string[] Booleans = ["watch-config", "no-watch", "bg", "version"];

    public static readonly string[] WithValue =
        ["config", "config-dir", "listen", "tls-cert-file", "tls-key-file", "port", "proxy-port", "supervisor-port", "redis", "state-dir"];

    public static StartOptions Parse(GoFlags flags, string workingDirectory)
    {
        if (flags.Operands.Count > 0)
        {
            throw new UsageException($"unexpected argument '{flags.Operands[0]}'");
        }

        var listen = flags.Value("listen") is { } listenText ? ListenAddress.Parse(listenText) : null;
        if (flags.Port("proxy-port") is { } proxyPort)
        {
            listen = listen is null
                ? new ListenAddress(null, proxyPort)
                : throw new UsageException("give -listen or -proxy-port, not both (-proxy-port N is -listen :N)");
        }

        var cert = ExistingFile(flags.Value("tls-cert-file"), "TLS certificate", workingDirectory);
        var key = ExistingFile(flags.Value("tls-key-file"), "TLS key", workingDirectory);
        if ((cert is null) != (key is null))
        {
            throw new UsageException("-tls-cert-file and -tls-key-file go together: give both");
        }

        var watch = flags.Switch("watch-config");
        if (flags.Switch("no-watch") == true)
        {
            watch = watch == true ? throw new UsageException("-watch-config and -no-watch contradict each other") : false;
        }

        return new StartOptions
        {
            ConfigPath = ExistingFile(flags.Value("config"), "config file", workingDirectory),
            ConfigDir = ExistingDirectory(flags.Value("config-dir"), workingDirectory),
            Listen = listen ?? new ListenAddress(null, StartOptions.DefaultProxyPort),
            TlsCertFile = cert,
            TlsKeyFile = key,
            GatewayPort = flags.Port("port"),
            SupervisorPort = flags.Port("supervisor-port"),
            Redis = flags.Value("redis"),
            WatchConfig = watch ?? true,
            Background = flags.Switch("bg") == true,
            StateDirectory = StateDirectoryOf(flags, workingDirectory),
        };
    }

    public static string StateDirectoryOf(GoFlags flags, string workingDirectory)
        => flags.Value("state-dir") is { } given ? Path.GetFullPath(given, workingDirectory) : StateDirectory.Default();

    private static string? ExistingFile(string? path, string what, string workingDirectory)
    {
        if (path is null)
        {
            return null;
        }

        var full = Path.GetFullPath(path, workingDirectory);
        return File.Exists(full) ? full : throw new UsageException($"{what} not found: {full}");
    }

    private static string? ExistingDirectory(string? path, string workingDirectory)
    {
        if (path is null)
        {
            return null;
        }

        var full = Path.GetFullPath(path, workingDirectory);
        return Directory.Exists(full) ? full : throw new UsageException($"config directory not found: {full}");
    }
}
