using System.Text;

namespace LlamaSwap.Cli.Autostart;

/// <summary>
/// A systemd user unit (<c>~/.config/systemd/user/llamaswap.service</c>): started at login by
/// <c>default.target</c>, restarted if it fails, stopped with SIGTERM (the launcher then stops
/// everything in order, so the stop timeout covers the supervisor stopping its models).
/// </summary>
internal static class SystemdUserUnit
{
    public const string FileName = "llamaswap.service";

    public static string Directory()
    {
        var config = System.Environment.GetEnvironmentVariable("XDG_CONFIG_HOME");
        var root = config is { Length: > 0 } ? config : Path.Combine(System.Environment.GetFolderPath(System.Environment.SpecialFolder.UserProfile), ".config");
        return Path.Combine(root, "systemd", "user");
    }

    public static string Render(AutostartEntry entry)
    {
        var unit = new StringBuilder()
            .AppendLine("# Written by `llamaswap autostart install`; removed by `llamaswap autostart uninstall`.")
            .AppendLine("[Unit]")
            .AppendLine("Description=LlamaSwap: one OpenAI-compatible endpoint for local models")
            .AppendLine("After=network.target")
            .AppendLine()
            .AppendLine("[Service]")
            .AppendLine("Type=simple")
            .AppendLine($"ExecStart={string.Join(' ', entry.Arguments.Prepend(entry.Program).Select(Quote))}")
            .AppendLine($"WorkingDirectory={Quote(entry.WorkingDirectory)}");
        foreach (var (name, value) in entry.Environment.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            unit.AppendLine($"Environment={Quote($"{name}={value}")}");
        }

        return unit
            .AppendLine("Restart=on-failure")
            .AppendLine("RestartSec=5")
            .AppendLine("KillMode=mixed")
            .AppendLine("TimeoutStopSec=90")
            .AppendLine()
            .AppendLine("[Install]")
            .AppendLine("WantedBy=default.target")
            .ToString();
    }

    /// <summary>systemd's quoting: double quotes around a word with spaces or quotes; <c>%</c> doubled (specifiers), <c>$</c> doubled (variables).</summary>
    internal static string Quote(string word)
    {
        var escaped = word.Replace("%", "%%", StringComparison.Ordinal).Replace("$", "$$", StringComparison.Ordinal);
        return escaped.Any(c => char.IsWhiteSpace(c) || c is '"' or '\'' or '\\' or ';')
            ? "\"" + escaped.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\""
            : escaped;
    }
}
