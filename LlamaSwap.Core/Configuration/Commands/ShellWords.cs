using System.Text;

namespace LlamaSwap.Core.Configuration.Commands;

/// <summary>
/// Splits a command line into argv with POSIX shell word rules: single quotes, double quotes with
/// backslash escapes, backslash escapes and whitespace separation. No shell features (variables,
/// globs, pipes) are interpreted: users who want them run <c>sh -c</c>.
/// </summary>
internal static class ShellWords
{
    public static bool TrySplit(string text, out IReadOnlyList<string> words, out string? error)
    {
        var result = new List<string>();
        var current = new StringBuilder();
        var inWord = false;
        var i = 0;
        words = result;
        error = null;

        while (i < text.Length)
        {
            var c = text[i];
            if (c is ' ' or '\t' or '\n' or '\r')
            {
                if (inWord)
                {
                    result.Add(current.ToString());
                    current.Clear();
                    inWord = false;
                }

                i++;
                continue;
            }

            if (c == '\\' && i + 1 < text.Length && text[i + 1] == '\n')
            {
                // A line continuation is not part of any word.
                i += 2;
                continue;
            }

            inWord = true;
            switch (c)
            {
                case '\'':
                    var close = text.IndexOf('\'', i + 1);
                    if (close < 0)
                    {
                        error = "unterminated single quote";
                        return false;
                    }

                    current.Append(text, i + 1, close - i - 1);
                    i = close + 1;
                    break;
                case '"':
                    if (!ReadDoubleQuoted(text, ref i, current))
                    {
                        error = "unterminated double quote";
                        return false;
                    }

                    break;
                case '\\':
                    if (i + 1 >= text.Length)
                    {
                        error = "trailing backslash";
                        return false;
                    }

                    current.Append(text[i + 1]);
                    i += 2;
                    break;
                default:
                    current.Append(c);
                    i++;
                    break;
            }
        }

        if (inWord)
        {
            result.Add(current.ToString());
        }

        return true;
    }

    private static bool ReadDoubleQuoted(string text, ref int i, StringBuilder current)
    {
        i++;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '"')
            {
                i++;
                return true;
            }

            if (c == '\\' && i + 1 < text.Length)
            {
                var next = text[i + 1];
                if (next is '\\' or '"' or '$' or '`')
                {
                    current.Append(next);
                    i += 2;
                    continue;
                }

                if (next == '\n')
                {
                    i += 2;
                    continue;
                }
            }

            current.Append(c);
            i++;
        }

        return false;
    }
}
