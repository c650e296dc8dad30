using System.Text.RegularExpressions;

namespace LlamaSwap.Gateway.Models.Detail;

/// <summary>
/// Hides what a model's config may carry in secret: every <c>env</c> value, and the value of any
/// command-line option whose name says key, token, secret or password (<c>--api-key X</c>,
/// <c>--hf-token=X</c>). The config page is readable with a Read key; these are not.
/// </summary>
internal static partial class SecretRedaction
{
    public const string Redacted = "[REDACTED]";

    /// <summary>The words of a command with secret option values replaced.</summary>
    public static IReadOnlyList<string> Command(IReadOnlyList<string> words)
    {
        var result = new List<string>(words.Count);
        var hideNext = false;
        foreach (var word in words)
        {
            if (hideNext)
            {
                result.Add(Redacted);
                hideNext = false;
                continue;
            }

            var match = SecretOption().Match(word);
            if (match.Success && match.Groups["value"].Success)
            {
                result.Add($"{match.Groups["name"].Value}={Redacted}");
            }
            else
            {
                result.Add(word);
                hideNext = match.Success;
            }
        }

        return result;
    }

    /// <summary>A command line as text with secret option values replaced (words split on white space).</summary>
    public static string CommandText(string text)
        => SecretInText().Replace(text, m => $"{m.Groups["name"].Value}{m.Groups["sep"].Value}{Redacted}");

    // An option (one or two dashes) whose name contains a secret word, with an optional =value.
    [GeneratedRegex(@"^(?<name>--?[A-Za-z0-9_-]*(?:key|token|secret|password|passwd)[A-Za-z0-9_-]*)(?:=(?<value>.*))?$", RegexOptions.IgnoreCase)]
    private static partial Regex SecretOption();

    [GeneratedRegex(@"(?<name>(?<=^|\s)--?[A-Za-z0-9_-]*(?:key|token|secret|password|passwd)[A-Za-z0-9_-]*)(?<sep>=|\s+)(?<value>""[^""]*""|'[^']*'|\S+)", RegexOptions.IgnoreCase)]
    private static partial Regex SecretInText();
}
