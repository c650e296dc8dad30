using LlamaSwap.Cli.CommandLine;

namespace LlamaSwap.Tests.Cli.CommandLine;

public sealed class GoFlagsTests
{
    private static readonly string[] Booleans = ["watch-config", "bg"];
    private static readonly string[] WithValue = ["config", "listen", "include"];

    [Theory]
    [InlineData("-config", "x.yaml")]
    [InlineData("--config", "x.yaml")]
    [InlineData("-config=x.yaml")]
    [InlineData("--config=x.yaml")]
    public void ValueFlag_InEveryGoSpelling(params string[] args)
        => Assert.Equal("x.yaml", GoFlags.Parse(args, Booleans, WithValue).Value("config"));

    [Theory]
    [InlineData(new[] { "-watch-config" }, true)]
    [InlineData(new[] { "--watch-config=true" }, true)]
    [InlineData(new[] { "-watch-config=false" }, false)]
    [InlineData(new[] { "-watch-config=0" }, false)]
    [InlineData(new string[0], null)]
    public void BooleanFlag_TakesNoSeparateValue(string[] args, bool? expected)
        => Assert.Equal(expected, GoFlags.Parse(args, Booleans, WithValue).Switch("watch-config"));

    [Fact]
    public void BooleanFlag_DoesNotSwallowTheNextArgument()
    {
        var flags = GoFlags.Parse(["-bg", "stop"], Booleans, WithValue);
        Assert.Equal(true, flags.Switch("bg"));
        Assert.Equal(["stop"], flags.Operands);
    }

    [Fact]
    public void ColonValue_IsKeptWhole() => Assert.Equal(":8080", GoFlags.Parse(["-listen", ":8080"], Booleans, WithValue).Value("listen"));

    [Theory]
    [InlineData(new[] { "-confg", "x" }, "flag provided but not defined: -confg")]
    [InlineData(new[] { "-config" }, "flag needs an argument: -config")]
    [InlineData(new[] { "-config", "a", "-config", "b" }, "flag given twice: -config")]
    [InlineData(new[] { "-bg=maybe" }, "invalid boolean value \"maybe\" for -bg")]
    public void Mistakes_AreNamed(string[] args, string message)
        => Assert.Equal(message, Assert.Throws<UsageException>(() => GoFlags.Parse(args, Booleans, WithValue)).Message);

    [Fact]
    public void RepeatableFlag_KeepsEveryValue()
        => Assert.Equal(["*.gguf", "*.json"], GoFlags.Parse(["--include", "*.gguf", "--include", "*.json"], Booleans, WithValue, ["include"]).Values("include"));
}
