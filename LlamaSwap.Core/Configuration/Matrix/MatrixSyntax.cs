namespace LlamaSwap.Core.Configuration.Matrix;

/// <summary>A parsed set expression, before identifiers and <c>+set</c> references are resolved.</summary>
internal abstract record MatrixSyntax
{
    /// <summary>A var or model ID.</summary>
    public sealed record Name(string Text) : MatrixSyntax;

    /// <summary><c>+set</c>: another set's expression, inlined.</summary>
    public sealed record SetReference(string Set) : MatrixSyntax;

    /// <summary><c>a &amp; b</c>: one model set from each operand, united.</summary>
    public sealed record AllOf(IReadOnlyList<MatrixSyntax> Operands) : MatrixSyntax;

    /// <summary><c>a | b</c>: the alternatives of each operand, in order.</summary>
    public sealed record AnyOf(IReadOnlyList<MatrixSyntax> Operands) : MatrixSyntax;
}
