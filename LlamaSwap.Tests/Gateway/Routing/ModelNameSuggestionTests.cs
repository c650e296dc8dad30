using LlamaSwap.Gateway.Routing;

namespace LlamaSwap.Tests.Gateway.Routing;

public sealed class ModelNameSuggestionTests
{
    private static readonly string[] Names = ["llama", "gpt-oss", "qwen3-8b", "author/model", "Mistral-7B"];

    [Theory]
    [InlineData("lama", "llama")]
    [InlineData("llamma", "llama")]
    [InlineData("gpt-4o", "gpt-oss")]
    [InlineData("qwen3", "qwen3-8b")]
    [InlineData("mistral-7b", "Mistral-7B")]
    [InlineData("author/modle", "author/model")]
    public void CloseName_IsSuggested(string requested, string expected)
        => Assert.Equal(expected, ModelNameSuggestion.Closest(requested, Names));

    [Theory]
    [InlineData("nope")]
    [InlineData("x")]
    [InlineData("claude-3-opus")]
    [InlineData("")]
    public void NothingClose_IsNoSuggestion(string requested)
        => Assert.Null(ModelNameSuggestion.Closest(requested, Names));

    [Fact]
    public void FewestEdits_Win()
        => Assert.Equal("gpt-4o-mini", ModelNameSuggestion.Closest("gpt-4o-min", ["gpt-oss", "gpt-4o-mini", "gpt-4"]));

    [Fact]
    public void Ties_GoToTheOrdinallySmallerName_WhateverTheOrder()
    {
        Assert.Equal("llama-a", ModelNameSuggestion.Closest("llama-x", ["llama-b", "llama-a"]));
        Assert.Equal("llama-a", ModelNameSuggestion.Closest("llama-x", ["llama-a", "llama-b"]));
    }

    [Fact]
    public void AbsurdlyLongName_IsNotCompared()
        => Assert.Null(ModelNameSuggestion.Closest("llama" + new string('a', ModelNameSuggestion.MaxLength), Names));

    [Fact]
    public void PathForms_TheBestFormAndName_AreReturned()
    {
        var found = ModelNameSuggestion.Closest(["author", "author/modle", "author/modle/v1"], Names);

        Assert.Equal(("author/modle", "author/model"), found);
    }
}
