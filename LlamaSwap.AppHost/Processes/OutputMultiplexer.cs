using System.Text.RegularExpressions;

namespace LlamaSwap.AppHost.Processes;

/// <summary>
/// Writes every child's output lines to one console behind a <c>[name] </c> prefix, coloured per
/// source when the console is a terminal.
/// </summary>
internal sealed partial class OutputMultiplexer(TextWriter writer, bool useColor)
{
    private const string Reset = "\u001b[0m";

    // Bright colours that read on dark and light terminals; assigned in first-seen order.
    private static readonly string[] Palette = ["\u001b[36m", "\u001b[33m", "\u001b[35m", "\u001b[32m", "\u001b[34m", "\u001b[91m"];

    private readonly Lock _lock = new();
    private readonly Dictionary<string, string> _prefixes = new(StringComparer.Ordinal);

    public static bool ShouldUseColor() =>
        !Console.IsOutputRedirected && Environment.GetEnvironmentVariable("NO_COLOR") is null or "";

    public void WriteLine(string source, string line)
    {
        lock (_lock)
        {
            try
            {
                writer.Write(Prefix(source) + (useColor ? line : StripColor(line)) + "\n");
                writer.Flush();
            }
            catch (IOException)
            {
                // The terminal went away (SIGHUP, closed pipe): keep shutting down quietly.
            }
        }
    }

    /// <summary>Writes lines that are ours, not a child's (banner, instructions), without a prefix.</summary>
    public void WriteRaw(string text)
    {
        lock (_lock)
        {
            try
            {
                writer.Write(text);
                writer.Flush();
            }
            catch (IOException)
            {
            }
        }
    }

    /// <summary>Some children (garnet) colour their output even into a pipe; a log file should not get the escapes.</summary>
    private static string StripColor(string line) =>
        line.Contains('\u001b', StringComparison.Ordinal) ? AnsiEscape().Replace(line, "") : line;

    [GeneratedRegex(@"\u001b\[[0-9;]*[A-Za-z]")]
    private static partial Regex AnsiEscape();

    private string Prefix(string source)
    {
        if (!_prefixes.TryGetValue(source, out var prefix))
        {
            prefix = useColor ? $"{Palette[_prefixes.Count % Palette.Length]}[{source}]{Reset} " : $"[{source}] ";
            _prefixes[source] = prefix;
        }

        return prefix;
    }
}
