namespace LlamaSwap.Core.Configuration.Matrix;

internal enum MatrixTokenKind
{
    Identifier,
    Plus,
    And,
    Or,
    OpenParen,
    CloseParen,
    End,
}

/// <summary>One DSL token; <see cref="Position"/> is its 0-based character offset, for error messages.</summary>
internal readonly record struct MatrixToken(MatrixTokenKind Kind, string Text, int Position)
{
    public string Describe() => Kind switch
    {
        MatrixTokenKind.End => "end of expression",
        MatrixTokenKind.Identifier => $"\"{Text}\"",
        _ => $"'{Text}'",
    };
}
