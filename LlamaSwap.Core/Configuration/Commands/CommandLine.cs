using System.Text;

namespace LlamaSwap.Core.Configuration.Commands;

/// <summary>Text clean-up of <c>cmd</c>/<c>cmdStop</c> before and after macro expansion (reference 1.4).</summary>
internal static class CommandLine
{
    /// <summary>
    /// Drops lines whose trimmed text starts with <c>#</c>. Runs before macro expansion so a macro
    /// mentioned in a comment neither expands nor claims a port.
    /// </summary>
    public static string StripCommentLines(string text)
    {
        var lines = SplitLines(text).Where(l => !l.TrimStart().StartsWith('#'));
        return string.Join('\n', lines);
    }

    /// <summary>Joins lines ending in <c>\</c> with the next one and trims the result.</summary>
    public static string JoinContinuations(string text)
    {
        var result = new StringBuilder(text.Length);
        var continuing = false;
        foreach (var rawLine in SplitLines(text))
        {
            // Indentation of a continued line is layout, not content.
            var line = continuing ? rawLine.TrimStart() : rawLine;
            var trimmed = line.TrimEnd();
            continuing = trimmed.EndsWith('\\');
            if (continuing)
            {
                result.Append(trimmed.AsSpan(0, trimmed.Length - 1).TrimEnd()).Append(' ');
            }
            else
            {
                result.Append(line).Append('\n');
            }
        }

        return result.ToString().Trim();
    }

    private static string[] SplitLines(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
}
