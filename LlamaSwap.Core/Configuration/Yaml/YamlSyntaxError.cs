using YamlDotNet.Core;

namespace LlamaSwap.Core.Configuration.Yaml;

/// <summary>
/// The message for YAML the parser refused: where (line, column) and what, in the words Go's
/// yaml.v3 uses where YamlDotNet's are obscure, plus how to fix the common mistakes.
/// </summary>
internal static class YamlSyntaxError
{
    private const string QuoteHint =
        "mapping values are not allowed in this context: a plain value cannot contain ': ' (colon and space); quote the value, e.g. cmd: \"echo a: b\"";

    public static string At(Mark mark, string problem)
        => $"invalid YAML at line {mark.Line}, column {mark.Column}: {Explain(problem)}";

    private static string Explain(string problem) => problem switch
    {
        "While scanning a plain scalar value, found invalid mapping."
            or "While scanning a multiline plain scalar, found invalid mapping."
            or "Mapping values are not allowed in this context." => QuoteHint,
        "While scanning a mapping, found invalid tab as indentation."
            or "While scanning a plain scalar, found a tab character that violate indentation." => problem + " Indent with spaces, not tabs.",
        "While scanning for the next token, found character that cannot start any token." =>
            problem + " A value starting with '@' or '`' must be quoted; indent with spaces, not tabs.",
        _ => problem,
    };
}
