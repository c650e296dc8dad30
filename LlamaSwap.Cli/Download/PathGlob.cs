using System.Text;
using System.Text.RegularExpressions;

namespace LlamaSwap.Cli.Download;

/// <summary>
/// An <c>--include</c> pattern, matched against a file's path in the repository the way
/// huggingface-cli matches it (Python's <c>fnmatch</c>): <c>*</c> is any run of characters, slashes
/// included (so <c>*Q4_K_M*</c> also finds <c>Q4_K_M/model-00001-of-00002.gguf</c>, and <c>**</c> is
/// the same as <c>*</c>), <c>?</c> one character, <c>[abc]</c> / <c>[!abc]</c> a set; case-sensitive.
/// A pattern ending in <c>/</c> means everything under that folder.
/// </summary>
internal sealed class PathGlob
{
    private readonly Regex _regex;

    private PathGlob(string pattern, Regex regex)
    {
        Pattern = pattern;
        _regex = regex;
    }

    public string Pattern { get; }

    public static PathGlob Parse(string pattern)
    {
        var effective = pattern.EndsWith('/') ? pattern + "*" : pattern;
        return new PathGlob(pattern, new Regex(Translate(effective), RegexOptions.CultureInvariant | RegexOptions.Singleline));
    }

    public bool IsMatch(string path) => _regex.IsMatch(path);

    /// <summary>Whether any of <paramref name="globs"/> matches; no globs means every path.</summary>
    public static bool AnyMatch(IReadOnlyList<PathGlob> globs, string path)
        => globs.Count == 0 || globs.Any(g => g.IsMatch(path));

    private static string Translate(string pattern)
    {
        var regex = new StringBuilder("^");
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            switch (c)
            {
                case '*':
                    regex.Append(".*");
                    while (i + 1 < pattern.Length && pattern[i + 1] == '*')
                    {
                        i++;
                    }

                    break;
                case '?':
                    regex.Append('.');
                    break;
                case '[':
                    var end = SetEnd(pattern, i);
                    if (end < 0)
                    {
                        regex.Append(@"\[");
                        break;
                    }

                    regex.Append(Set(pattern[(i + 1)..end]));
                    i = end;
                    break;
                default:
                    regex.Append(Regex.Escape(c.ToString()));
                    break;
            }
        }

        return regex.Append('$').ToString();
    }

    // fnmatch: a ']' right after '[' or '[!' belongs to the set; an unclosed '[' is a literal.
    private static int SetEnd(string pattern, int open)
    {
        var j = open + 1;
        if (j < pattern.Length && pattern[j] == '!')
        {
            j++;
        }

        if (j < pattern.Length && pattern[j] == ']')
        {
            j++;
        }

        return pattern.IndexOf(']', j);
    }

    private static string Set(string body)
    {
        var negated = body.StartsWith('!');
        var members = negated ? body[1..] : body;
        var escaped = new StringBuilder(negated ? "[^" : "[");
        foreach (var c in members)
        {
            // Keep ranges (a-z) working; escape what a .NET character class would read specially.
            escaped.Append(c is '\\' or '[' or ']' or '^' ? "\\" + c : c.ToString());
        }

        return escaped.Append(']').ToString();
    }
}
