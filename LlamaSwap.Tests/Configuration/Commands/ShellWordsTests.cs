using LlamaSwap.Core.Configuration.Commands;

namespace LlamaSwap.Tests.Configuration.Commands;

public sealed class ShellWordsTests
{
    [Theory]
    [InlineData("a b  c", new[] { "a", "b", "c" })]
    [InlineData("svr --model 'my model.gguf'", new[] { "svr", "--model", "my model.gguf" })]
    [InlineData("echo \"a \\\"b\\\" \\$x \\n\"", new[] { "echo", "a \"b\" $x \\n" })]
    [InlineData("a\\ b c", new[] { "a b", "c" })]
    [InlineData("x'y'\"z\"", new[] { "xyz" })]
    [InlineData("a '' b", new[] { "a", "", "b" })]
    [InlineData("a \\\n b", new[] { "a", "b" })]
    [InlineData("a\n\tb", new[] { "a", "b" })]
    [InlineData("'$HOME' ~ *", new[] { "$HOME", "~", "*" })]
    public void TrySplit_ValidText_SplitsLikePosixShell(string text, string[] expected)
    {
        Assert.True(ShellWords.TrySplit(text, out var words, out var error), error);
        Assert.Equal(expected, words);
    }

    [Theory]
    [InlineData("a 'b", "unterminated single quote")]
    [InlineData("a \"b", "unterminated double quote")]
    [InlineData("a \\", "trailing backslash")]
    public void TrySplit_UnbalancedText_Fails(string text, string expectedError)
    {
        Assert.False(ShellWords.TrySplit(text, out _, out var error));
        Assert.Equal(expectedError, error);
    }
}
