using LlamaSwap.Core.Processes;
using static Microsoft.Playwright.Assertions;

namespace LlamaSwap.Tests.Browser;

/// <summary>The Logs page, through the auth proxy: new log output shows up while the page stays open.</summary>
[Collection(BrowserCollection.Name)]
public sealed class LogsPageTests(BrowserFixture fixture)
{
    [Fact]
    public async Task AllLogs_ShowANewLineLive()
    {
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

        // A config reload is one of the gateway's own log lines, written while the page watches.
        PosixSignals.SignalProcess(fixture.Stack.Gateway.Pid, PosixSignals.SigHup);

        await page.WaitForFunctionAsync(
            """
            seen => {
              const text = document.querySelector('[data-testid="logs-output"]').textContent;
              return text.length > seen && /Reloaded .*SIGHUP/.test(text.slice(seen));
            }
            """,
            before.Length);
        await session.AssertSameDocumentAsync();
        await session.ScreenshotAsync("logs");
        session.AssertNoScriptErrors();
    }
}
