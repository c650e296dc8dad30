using static Microsoft.Playwright.Assertions;

namespace LlamaSwap.Tests.Browser;

/// <summary>The Playground, through the auth proxy: a chat reply streamed into the page.</summary>
[Collection(BrowserCollection.Name)]
public sealed class PlaygroundPageTests(BrowserFixture fixture)
{
    [Fact]
    public async Task Send_StreamsTheReplyIntoThePage_PieceByPiece()
    {
        await using var session = await fixture.OpenAsync(throughAuthProxy: true);
        var page = session.Page;
        await page.GotoAsync("/ui/#/playground");
        await session.ByTestId("playground-model").SelectOptionAsync("beta");
        await session.ByTestId("playground-system").FillAsync("You are terse.");
        await session.ByTestId("playground-user").FillAsync("Say hello to the browser test.");
        // Every text the reply shows on its way: a streamed reply passes through partial texts.
        await page.EvaluateAsync("""
            () => {
              const reply = document.querySelector('[data-testid="playground-reply"]');
              window.__replyTexts = [];
              new MutationObserver(() => window.__replyTexts.push(reply.textContent))
                .observe(reply, { childList: true, characterData: true, subtree: true });
            }
            """);

        await session.ByTestId("playground-send").ClickAsync();

        var reply = session.ByTestId("playground-reply");
        await Expect(reply).ToHaveTextAsync(BrowserFixture.BetaReply, new() { Timeout = 45_000 });
        await Expect(session.ByTestId("playground-stats")).ToContainTextAsync("tokens/s");
        await Expect(session.ByTestId("playground-send")).ToBeEnabledAsync();
        var texts = await page.EvaluateAsync<string[]>("() => window.__replyTexts");
        var partial = texts.Where(t => t.Length > 0 && t != BrowserFixture.BetaReply).Distinct().ToList();
        Assert.True(partial.Count >= 2, "the reply should arrive in pieces; the page showed: " + string.Join(" | ", texts));
        Assert.All(partial, t => Assert.StartsWith(t, BrowserFixture.BetaReply, StringComparison.Ordinal));
        await session.ScreenshotAsync("playground");
        session.AssertNoScriptErrors();
    }
}
