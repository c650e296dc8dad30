using LlamaSwap.Core.Configuration.Matrix;

namespace LlamaSwap.Tests.Configuration.Matrix;

/// <summary>The set DSL's tokenizer and parser (reference 1.7).</summary>
public sealed class MatrixDslTests
{
    [Fact]
    public void Tokenize_IgnoresWhitespace_AndKeepsIdentifierCharacters()
    {
        var tokens = MatrixTokenizer.Tokenize(" (g_1 |\tqwen-2.5)&+std ");

        Assert.Equal(
            [
                (MatrixTokenKind.OpenParen, "("), (MatrixTokenKind.Identifier, "g_1"), (MatrixTokenKind.Or, "|"),
                (MatrixTokenKind.Identifier, "qwen-2.5"), (MatrixTokenKind.CloseParen, ")"), (MatrixTokenKind.And, "&"),
                (MatrixTokenKind.Plus, "+"), (MatrixTokenKind.Identifier, "std"), (MatrixTokenKind.End, ""),
            ],
            tokens.Select(t => (t.Kind, t.Text)));
        Assert.Equal([1, 2, 6, 8, 16, 17, 18, 19, 23], tokens.Select(t => t.Position));
    }

    [Fact]
    public void Parse_AndBindsTighterThanOr()
    {
        var syntax = MatrixParser.Parse("a | b & c");

        var any = Assert.IsType<MatrixSyntax.AnyOf>(syntax);
        Assert.Equal(new MatrixSyntax.Name("a"), any.Operands[0]);
        var all = Assert.IsType<MatrixSyntax.AllOf>(any.Operands[1]);
        Assert.Equal([new MatrixSyntax.Name("b"), new MatrixSyntax.Name("c")], all.Operands);
    }

    [Fact]
    public void Parse_ParenthesesAndSetReferences()
    {
        var syntax = MatrixParser.Parse("(a | b) & +base");

        var all = Assert.IsType<MatrixSyntax.AllOf>(syntax);
        Assert.IsType<MatrixSyntax.AnyOf>(all.Operands[0]);
        Assert.Equal(new MatrixSyntax.SetReference("base"), all.Operands[1]);
    }

    [Theory]
    [InlineData("", "empty expression")]
    [InlineData("   ", "empty expression")]
    [InlineData("(a", "expected ')' at position 2")]
    [InlineData("a)", "unexpected ')' at position 1")]
    [InlineData("()", "at position 1, got ')'")]
    [InlineData("a @ b", "unexpected character '@' at position 2")]
    [InlineData("a &", "got end of expression")]
    [InlineData("a | | b", "at position 4, got '|'")]
    [InlineData("+ (a)", "expected a set name after '+'")]
    [InlineData("a b", "unexpected \"b\" at position 2")]
    public void Parse_Malformed_ThrowsWithPosition(string expression, string message)
    {
        var error = Assert.Throws<MatrixSyntaxException>(() => MatrixParser.Parse(expression));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }
}
