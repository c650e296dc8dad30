namespace LlamaSwap.Tests.Browser;

/// <summary>
/// Browser tests share one stack and one chromium, and run alone: a browser and five processes
/// already fill the machine's two cores.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "Browser";
}
