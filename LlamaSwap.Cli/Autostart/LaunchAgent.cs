using System.Security;
using System.Text;

namespace LlamaSwap.Cli.Autostart;

/// <summary>
/// A macOS LaunchAgent (<c>~/Library/LaunchAgents/dev.llamaswap.plist</c>), as the seed's
/// <c>autostart-install.sh</c> wrote one: run at login, kept alive unless it exits cleanly, output
/// to the log file.
/// </summary>
internal static class LaunchAgent
{
    public const string Label = "dev.llamaswap";

    public static string Directory()
        => Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), "Library", "LaunchAgents");

    public static string FileName => Label + ".plist";

    public static string Render(AutostartEntry entry)
    {
        var plist = new StringBuilder()
            .AppendLine("""<?xml version="1.0" encoding="UTF-8"?>""")
            .AppendLine("""<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">""")
            .AppendLine("""<plist version="1.0">""")
            .AppendLine("<dict>")
            .AppendLine($"  <key>Label</key><string>{Label}</string>")
            .AppendLine("  <key>ProgramArguments</key>")
            .AppendLine("  <array>");
        foreach (var argument in entry.Arguments.Prepend(entry.Program))
        {
            plist.AppendLine($"    <string>{Escape(argument)}</string>");
        }

        plist.AppendLine("  </array>")
            .AppendLine($"  <key>WorkingDirectory</key><string>{Escape(entry.WorkingDirectory)}</string>");
        if (entry.Environment.Count > 0)
        {
            plist.AppendLine("  <key>EnvironmentVariables</key>").AppendLine("  <dict>");
            foreach (var (name, value) in entry.Environment.OrderBy(e => e.Key, StringComparer.Ordinal))
            {
                plist.AppendLine($"    <key>{Escape(name)}</key><string>{Escape(value)}</string>");
            }

            plist.AppendLine("  </dict>");
        }

        return plist
            .AppendLine("  <key>RunAtLoad</key><true/>")
            .AppendLine("  <key>KeepAlive</key>")
            .AppendLine("  <dict><key>SuccessfulExit</key><false/></dict>")
            .AppendLine($"  <key>StandardOutPath</key><string>{Escape(entry.LogFile)}</string>")
            .AppendLine($"  <key>StandardErrorPath</key><string>{Escape(entry.LogFile)}</string>")
            .AppendLine("</dict>")
            .AppendLine("</plist>")
            .ToString();
    }

    private static string Escape(string text) => SecurityElement.Escape(text);
}
