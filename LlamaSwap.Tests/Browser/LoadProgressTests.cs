using LlamaSwap.Tests.EndToEnd.RealLlamaServer;
using LlamaSwap.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace LlamaSwap.Tests.Browser;

/// <summary>The Models page while a real llama-server loads a 635 MB model from disk (about 3 s): a moving progress bar.</summary>
[Collection(BrowserCollection.Name)]
public sealed class LoadProgressTests(BrowserFixture fixture)
{
    private const string MovedScript = """
        ([id, first]) => {
          const bar = document.querySelector(`[data-testid="progress-${id}"]`);
          return bar !== null && !bar.hidden && bar.getAttribute('aria-valuenow') !== first;
        }
        """;

    [LoadingModelFact]
    public async Task LoadButton_ShowsAProgressBarThatMoves_ThenTheReadyBadge()
    {
        var (stack, _) = await RealLlamaServerLoadProgressTests.StartAsync(SharedLlamaServer.B10309);
        await using var owned = stack;
        var context = await fixture.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = stack.Gateway.Url,
            ViewportSize = new ViewportSize { Width = 1280, Height = 800 },
            ColorScheme = ColorScheme.Light,
        });
        await using var session = new BrowserSession(context, await context.NewPageAsync());
        var page = session.Page;

        await page.GotoAsync("/ui/#/models");
        await Expect(session.ByTestId("model-state-big")).ToHaveTextAsync("stopped");
        await Expect(session.ByTestId("events-status")).ToHaveAttributeAsync("data-state", "live");
        var progress = session.ByTestId("progress-big");
        await Expect(progress).ToBeHiddenAsync();

        await session.ByTestId("model-load-big").ClickAsync();

        await Expect(progress).ToBeVisibleAsync(new() { Timeout = 60_000 });
        var first = await progress.GetAttributeAsync("aria-valuenow");
        var firstWidth = await progress.Locator(".bar").EvaluateAsync<string>("bar => bar.style.width");
        await page.WaitForFunctionAsync(MovedScript, new object?[] { "big", first }, new() { Timeout = 60_000 });
        var second = await progress.GetAttributeAsync("aria-valuenow");
        var secondWidth = await progress.Locator(".bar").EvaluateAsync<string>("bar => bar.style.width");
        await session.ScreenshotAsync("loading-progress");

        Assert.True(int.Parse(second!, System.Globalization.CultureInfo.InvariantCulture) > int.Parse(first!, System.Globalization.CultureInfo.InvariantCulture), $"the bar moves forward: {first} -> {second}");
        Assert.NotEqual(firstWidth, secondWidth);
        await Expect(progress).ToContainTextAsync(" MB of ");
        await Expect(session.ByTestId("model-state-big")).ToHaveTextAsync("ready", new() { Timeout = 60_000 });
        await Expect(progress).ToBeHiddenAsync();
        session.AssertNoScriptErrors();
    }
}
