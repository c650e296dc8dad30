using Microsoft.Playwright;

namespace LlamaSwap.Tests.Browser;

/// <summary>One browser context and its page; collects uncaught script errors so a test can assert there were none.</summary>
internal sealed class BrowserSession : IAsyncDisposable
{
    private readonly List<string> _pageErrors = [];

    public BrowserSession(IBrowserContext context, IPage page)
    {
        Context = context;
        Page = page;
        page.PageError += (_, error) =>
        {
            lock (_pageErrors)
            {
                _pageErrors.Add(error);
            }
        };
    }

    public IBrowserContext Context { get; }

    public IPage Page { get; }

    public ILocator ByTestId(string testId) => Page.GetByTestId(testId);

    /// <summary>Marks the current document; <see cref="AssertSameDocumentAsync"/> fails if the page was reloaded since.</summary>
    public Task MarkDocumentAsync() => Page.EvaluateAsync("() => { window.__llamaswapMark = 'unchanged'; }");

    public async Task AssertSameDocumentAsync()
        => Assert.Equal("unchanged", await Page.EvaluateAsync<string?>("() => window.__llamaswapMark ?? null"));

    public void AssertNoScriptErrors()
    {
        lock (_pageErrors)
        {
            Assert.True(_pageErrors.Count == 0, "uncaught script errors:\n" + string.Join("\n", _pageErrors));
        }
    }

    /// <summary>Saves the whole page to <see cref="BrowserFixture.ScreenshotDirectory"/><c>/&lt;name&gt;.png</c>.</summary>
    public Task ScreenshotAsync(string name)
        => Page.ScreenshotAsync(new PageScreenshotOptions
        {
            Path = Path.Combine(BrowserFixture.ScreenshotDirectory, name + ".png"),
            FullPage = true,
            Animations = ScreenshotAnimations.Disabled,
        });

    public async ValueTask DisposeAsync() => await Context.DisposeAsync();
}
