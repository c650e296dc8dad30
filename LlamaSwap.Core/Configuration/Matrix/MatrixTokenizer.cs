namespace LlamaSwap.Core.Configuration.Matrix;

/// <summary>Splits a set expression into tokens; whitespace only separates (reference 1.7).</summary>
internal static class MatrixTokenizer
{
    public static List<MatrixToken> Tokenize(string expression)
    {
        var tokens = new List<MatrixToken>();
        var i = 0;
        while (i < expression.Length)
        {
            var c = expression[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
                continue;
            }

            if (IsIdentifierChar(c))
            {
                var start = i;
                while (i < expression.Length && IsIdentifierChar(expression[i]))
                {
                    i++;
                }

                tokens.Add(new MatrixToken(MatrixTokenKind.Identifier, expression[start..i], start));
                continue;
            }

            var kind = c switch
            {
                '+' => MatrixTokenKind.Plus,
                '&' => MatrixTokenKind.And,
                '|' => MatrixTokenKind.Or,
                '(' => MatrixTokenKind.OpenParen,
                ')' => MatrixTokenKind.CloseParen,
                _ => throw new MatrixSyntaxException($"unexpected character '{c}' at position {i}"),
            };
            tokens.Add(new MatrixToken(kind, c.ToString(), i));
            i++;
        }

        tokens.Add(new MatrixToken(MatrixTokenKind.End, string.Empty, expression.Length));
        return tokens;
    }

    // Model IDs with '/' or ':' cannot appear here; they are referenced through vars.
    public static bool IsIdentifierChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.';
}
