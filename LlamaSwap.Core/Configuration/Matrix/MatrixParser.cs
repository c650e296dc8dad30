namespace LlamaSwap.Core.Configuration.Matrix;

/// <summary>
/// Recursive descent over the set DSL (reference 1.7):
/// <c>expr := and ('|' and)*</c>, <c>and := atom ('&amp;' atom)*</c>,
/// <c>atom := IDENT | '+' SETNAME | '(' expr ')'</c>. AND binds tighter than OR.
/// </summary>
internal sealed class MatrixParser
{
    private readonly List<MatrixToken> _tokens;
    private int _next;

    private MatrixParser(List<MatrixToken> tokens) => _tokens = tokens;

    /// <exception cref="MatrixSyntaxException">The expression is empty or malformed.</exception>
    public static MatrixSyntax Parse(string expression)
    {
        var parser = new MatrixParser(MatrixTokenizer.Tokenize(expression));
        if (parser.Peek.Kind == MatrixTokenKind.End)
        {
            throw new MatrixSyntaxException("empty expression");
        }

        var syntax = parser.ParseOr();
        var rest = parser.Peek;
        if (rest.Kind != MatrixTokenKind.End)
        {
            throw new MatrixSyntaxException($"unexpected {rest.Describe()} at position {rest.Position}");
        }

        return syntax;
    }

    private MatrixToken Peek => _tokens[_next];

    private MatrixToken Take() => _tokens[_next++];

    private MatrixSyntax ParseOr()
    {
        var operands = new List<MatrixSyntax> { ParseAnd() };
        while (Peek.Kind == MatrixTokenKind.Or)
        {
            Take();
            operands.Add(ParseAnd());
        }

        return operands.Count == 1 ? operands[0] : new MatrixSyntax.AnyOf(operands);
    }

    private MatrixSyntax ParseAnd()
    {
        var operands = new List<MatrixSyntax> { ParseAtom() };
        while (Peek.Kind == MatrixTokenKind.And)
        {
            Take();
            operands.Add(ParseAtom());
        }

        return operands.Count == 1 ? operands[0] : new MatrixSyntax.AllOf(operands);
    }

    private MatrixSyntax ParseAtom()
    {
        var token = Take();
        switch (token.Kind)
        {
            case MatrixTokenKind.Identifier:
                return new MatrixSyntax.Name(token.Text);
            case MatrixTokenKind.Plus:
                var set = Take();
                if (set.Kind != MatrixTokenKind.Identifier)
                {
                    throw new MatrixSyntaxException($"expected a set name after '+' at position {set.Position}, got {set.Describe()}");
                }

                return new MatrixSyntax.SetReference(set.Text);
            case MatrixTokenKind.OpenParen:
                var inner = ParseOr();
                var close = Take();
                if (close.Kind != MatrixTokenKind.CloseParen)
                {
                    throw new MatrixSyntaxException($"expected ')' at position {close.Position}, got {close.Describe()}");
                }

                return inner;
            default:
                throw new MatrixSyntaxException($"expected a var, model, +set or '(' at position {token.Position}, got {token.Describe()}");
        }
    }
}
