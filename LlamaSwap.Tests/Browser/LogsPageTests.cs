using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace LlamaSwap.Tests.Browser;

/// <summary>The Logs page, through the auth proxy: new log output shows up while the page stays open.</summary>
[Collection(BrowserCollection.Name)]
public sealed class LogsPageTests(BrowserFixture fixture)
{
    [Fact]
    public async Task AllLogs_ShowANewLineLive()
    {
        await fixture.Stack.UnloadAllAsync();
        await using var session = await fixture.OpenAsync(throughAuthProxy: true);
        var page = session.Page;

        var stream = await page.RunAndWaitForResponseAsync(
            () => page.GotoAsync("/ui/#/logs"),
            response => new Uri(response.Url).AbsolutePath == "/logs/stream");

        Assert.Equal(200, stream.Status);
        var output = session.ByTestId("logs-output");
        await Expect(session.ByTestId("logs-error")).ToBeHiddenAsync();
        var before = await output.TextContentAsync() ?? "";
        await session.MarkDocumentAsync();

        // Starting a model logs (the supervisor's start messages, the request line) and names it.
        using (var response = await fixture.Stack.Client.GetAsync(fixture.Stack.FrontDoor + "/upstream/alpha/ui-log-test"))
        {
            Assert.True(response.IsSuccessStatusCode, $"request to alpha -> {(int)response.StatusCode}");
        }

        await page.WaitForFunctionAsync(
            """
            seen => {
              const text = document.querySelector('[data-testid="logs-output"]').textContent;
              return text.length > seen && text.slice(seen).includes('alpha');
            }
            """,
            before.Length);
        await session.AssertSameDocumentAsync();
        await session.ScreenshotAsync("logs");
        session.AssertNoScriptErrors();
    }
}
