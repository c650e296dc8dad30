using LlamaSwap.Core.Configuration.Commands;

namespace LlamaSwap.Tests.Configuration.Commands;

public sealed class CommandLineTests
{
    [Fact]
    public void StripCommentLines_IndentedAndPlainComments_Removed()
        => Assert.Equal("svr\n--a", CommandLine.StripCommentLines("# c1\nsvr\n   # c2\n--a"));

    [Fact]
    public void JoinContinuations_TrailingBackslash_JoinsWithNextLine()
        => Assert.Equal("svr --a 1 --b\n--c", CommandLine.JoinContinuations("svr \\\n--a 1 \\  \n--b\n--c\n"));
}
