using System.Net.Http.Json;
using System.Text.RegularExpressions;
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
            response => new Uri(response.Url).AbsolutePath == "/logs/stream/proxy");

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
        session.AssertNoScriptErrors();
    }

    [Fact]
    public async Task All_ShowsColouredModelOutput_AndAccessLines()
    {
        // alpha writes a bold green line when it starts; a chat makes sure it has started.
        using (var response = await fixture.Stack.Client.PostAsJsonAsync(fixture.Stack.FrontDoor + "/v1/chat/completions", new
        {
            model = "alpha",
            messages = new[] { new { role = "user", content = "colour me" } },
        }))
        {
            Assert.True(response.IsSuccessStatusCode, $"chat with alpha -> {(int)response.StatusCode}");
        }

        await using var session = await fixture.OpenAsync(throughAuthProxy: true);
        var page = session.Page;
        await page.GotoAsync("/ui/#/logs");

        var output = session.ByTestId("logs-output");
        var green = output.Locator("span.ansi-green-fg", new() { HasText = BrowserFixture.AlphaColoredLine });
        await Expect(green.First).ToBeVisibleAsync();
        // The escape codes are gone from the text, and the colour is real.
        Assert.DoesNotContain("\u001b", await output.TextContentAsync() ?? "", StringComparison.Ordinal);
        var colour = await green.First.EvaluateAsync<string>("e => getComputedStyle(e).color");
        Assert.NotEqual(await output.EvaluateAsync<string>("e => getComputedStyle(e).color"), colour);
        // Bold is a style ansi_up writes inline: it applies despite the CSP.
        Assert.Equal("700", await green.First.EvaluateAsync<string>("e => getComputedStyle(e).fontWeight"));

        // The chat's access line, in llama-swap's format, from the proxy log.
        var access = output.Locator("[data-access]", new() { HasTextRegex = new Regex("\\[INFO\\] Request \\S+ \"POST /v1/chat/completions HTTP/[\\d.]+\" 200 \\d+ \"[^\"]*\" \\S+") });
        await Expect(access.First).ToBeVisibleAsync();
        // And the page's own requests (the browser's user agent).
        await Expect(output.Locator("[data-access]", new() { HasTextRegex = new Regex("\"GET /v1/models HTTP/[\\d.]+\" 200 \\d+ \"Mozilla/") }).First).ToBeAttachedAsync();

        // The picture shows the colours and the access lines around them, not only the newest lines.
        await session.ByTestId("logs-follow").UncheckAsync();
        await green.First.EvaluateAsync("e => e.closest('pre').scrollTop = e.offsetTop - e.closest('pre').offsetTop - 200");
        await session.ScreenshotAsync("logs");
        session.AssertNoScriptErrors();
    }
}
