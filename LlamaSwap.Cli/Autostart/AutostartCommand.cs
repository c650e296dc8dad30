using System.Diagnostics;
using System.Globalization;
using LlamaSwap.Cli.CommandLine;
using LlamaSwap.Cli.Start;
using LlamaSwap.Cli.State;

namespace LlamaSwap.Cli.Autostart;

/// <summary>
/// <c>llamaswap autostart install [start flags]</c> / <c>uninstall</c>: the seed's
/// <c>autostart-install.sh</c>/<c>autostart-uninstall.sh</c>. Linux: a systemd user unit, enabled
/// with <c>systemctl --user</c>; macOS: a LaunchAgent, loaded with <c>launchctl</c>.
/// <c>--no-enable</c> only writes (or removes) the file; <c>--print</c> only shows it.
/// </summary>
internal static class AutostartCommand
{
    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr)
    {
        if (args.Count == 0 || args[0] is not ("install" or "uninstall"))
        {
            throw new UsageException("usage: llamaswap autostart install|uninstall [--platform linux|macos] [--no-enable] [--print] [start flags]");
        }

        var flags = GoFlags.Parse(
            args.Skip(1).ToList(),
            [.. StartOptionsParser.Booleans, "no-enable", "print"],
            [.. StartOptionsParser.WithValue, "platform"]);
        var macos = (flags.Value("platform") ?? (OperatingSystem.IsMacOS() ? "macos" : "linux")) switch
        {
            "linux" => false,
            "macos" => true,
            var other => throw new UsageException($"-platform must be linux or macos, got '{other}'"),
        };
        var enable = flags.Switch("no-enable") != true;
        var (directory, fileName) = macos ? (LaunchAgent.Directory(), LaunchAgent.FileName) : (SystemdUserUnit.Directory(), SystemdUserUnit.FileName);
        var path = Path.Combine(directory, fileName);

        if (args[0] == "uninstall")
        {
            if (enable)
            {
                await TryRunAsync(stderr, macos ? ["launchctl", "unload", "-w", path] : ["systemctl", "--user", "disable", "--now", SystemdUserUnit.FileName]);
            }

            File.Delete(path);
            if (enable && !macos)
            {
                await TryRunAsync(stderr, ["systemctl", "--user", "daemon-reload"]);
            }

            stdout.WriteLine($"llamaswap: autostart removed ({path})");
            return ExitCodes.Success;
        }

        if (flags.Switch("bg") == true)
        {
            throw new UsageException("-bg makes no sense at login: the service manager keeps it in the background");
        }

        var options = StartOptionsParser.Parse(flags, Environment.CurrentDirectory);
        var entry = Entry(options, flags.Value("state-dir") is not null);
        var text = macos ? LaunchAgent.Render(entry) : SystemdUserUnit.Render(entry);
        if (flags.Switch("print") == true)
        {
            stdout.Write(text);
            return ExitCodes.Success;
        }

        Directory.CreateDirectory(directory);
        await File.WriteAllTextAsync(path, text);
        stdout.WriteLine($"llamaswap: wrote {path}");
        if (!enable)
        {
            stdout.WriteLine(macos ? $"  enable it with: launchctl load -w {path}" : $"  enable it with: systemctl --user daemon-reload && systemctl --user enable --now {SystemdUserUnit.FileName}");
            return ExitCodes.Success;
        }

        var enabled = macos
            ? await TryRunAsync(stderr, ["launchctl", "load", "-w", path])
            : await TryRunAsync(stderr, ["systemctl", "--user", "daemon-reload"]) && await TryRunAsync(stderr, ["systemctl", "--user", "enable", "--now", SystemdUserUnit.FileName]);
        stdout.WriteLine(enabled
            ? "llamaswap: autostart enabled; it starts now and at every login (`llamaswap status`)"
            : "llamaswap: the file is written but could not be enabled (see above); enable it by hand once a user session manager runs");
        return enabled ? ExitCodes.Success : ExitCodes.Failure;
    }

    /// <summary>The start command as the service manager runs it: absolute paths, no terminal, PATH as the user has it now.</summary>
    internal static AutostartEntry Entry(StartOptions options, bool explicitStateDirectory)
    {
        var (program, prefix) = BackgroundStart.Self();
        var arguments = new List<string>(prefix) { "start" };
        void Add(string flag, string? value)
        {
            if (value is not null)
            {
                arguments.Add(flag);
                arguments.Add(value);
            }
        }

        Add("--config", options.ConfigPath);
        Add("--config-dir", options.ConfigDir);
        Add("--listen", $"{(options.Listen.Host is { } host ? (host.Contains(':', StringComparison.Ordinal) ? $"[{host}]" : host) : "")}:{options.Listen.Port.ToString(CultureInfo.InvariantCulture)}");
        Add("--tls-cert-file", options.TlsCertFile);
        Add("--tls-key-file", options.TlsKeyFile);
        Add("--port", options.GatewayPort?.ToString(CultureInfo.InvariantCulture));
        Add("--supervisor-port", options.SupervisorPort?.ToString(CultureInfo.InvariantCulture));
        Add("--redis", options.Redis);
        Add("--state-dir", explicitStateDirectory ? options.StateDirectory : null);
        if (!options.WatchConfig)
        {
            arguments.Add("--no-watch");
        }

        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in new[] { "PATH", "DOTNET_ROOT", "API_KEYS", "LLAMASWAP_KEYS_FILE" })
        {
            if (Environment.GetEnvironmentVariable(name) is { Length: > 0 } value)
            {
                environment[name] = value;
            }
        }

        return new AutostartEntry(program, arguments, Environment.CurrentDirectory, new StateDirectory(options.StateDirectory).LogFile, environment);
    }

    private static async Task<bool> TryRunAsync(TextWriter stderr, string[] command)
    {
        try
        {
            var start = new ProcessStartInfo(command[0]) { UseShellExecute = false, RedirectStandardError = true };
            foreach (var argument in command.Skip(1))
            {
                start.ArgumentList.Add(argument);
            }

            using var process = Process.Start(start)!;
            var error = await process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            if (process.ExitCode != 0)
            {
                stderr.WriteLine($"llamaswap: `{string.Join(' ', command)}` failed ({process.ExitCode}): {error.Trim()}");
            }

            return process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            stderr.WriteLine($"llamaswap: could not run {command[0]}: {ex.Message}");
            return false;
        }
    }
}
