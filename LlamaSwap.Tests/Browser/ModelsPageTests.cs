using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace LlamaSwap.Tests.Browser;

/// <summary>The Models page, opened on the gateway's own port (no auth proxy in front).</summary>
[Collection(BrowserCollection.Name)]
public sealed class ModelsPageTests(BrowserFixture fixture)
{
    [Fact]
    public async Task LoadAndUnloadButtons_ChangeTheStateBadge_WithoutReloadingThePage()
    {
        await fixture.Stack.UnloadAllAsync();
        await using var session = await fixture.OpenAsync(throughAuthProxy: false);
        var page = session.Page;

        await page.GotoAsync("/");

        Assert.Equal("/ui/", new Uri(page.Url).AbsolutePath);
        var badge = session.ByTestId("model-state-alpha");
        await Expect(badge).ToHaveTextAsync("stopped");
        await Expect(session.ByTestId("events-status")).ToHaveAttributeAsync("data-state", "live");
        await session.MarkDocumentAsync();

        await session.ByTestId("model-load-alpha").ClickAsync();

        await Expect(badge).ToHaveTextAsync("ready", new() { Timeout = 45_000 });
        await Expect(session.ByTestId("model-load-alpha")).ToBeDisabledAsync();
        Assert.Contains("alpha", await fixture.Stack.RunningAsync());
        await session.ScreenshotAsync("models");

        await session.ByTestId("model-unload-alpha").ClickAsync();

        await Expect(badge).ToHaveTextAsync("stopped");
        await Expect(session.ByTestId("model-load-alpha")).ToBeEnabledAsync();
        Assert.DoesNotContain("alpha", await fixture.Stack.RunningAsync());
        await session.AssertSameDocumentAsync();
        session.AssertNoScriptErrors();
    }

    [Fact]
    public async Task WithoutTheEventStream_StatesArePolled_AndStillChangeLive()
    {
        await fixture.Stack.UnloadAllAsync();
        await using var session = await fixture.OpenAsync(throughAuthProxy: false);
        var page = session.Page;
        // As if /api/events were not deployed: the page must fall back to polling /running.
        await page.RouteAsync("**/api/events", route => route.FulfillAsync(new() { Status = 404, Body = "404 page not found" }));

        await page.GotoAsync("/ui/#/models");

        var badge = session.ByTestId("model-state-beta");
        await Expect(badge).ToHaveTextAsync("stopped");
        await Expect(session.ByTestId("events-status")).ToHaveAttributeAsync("data-state", "polling");
        await session.MarkDocumentAsync();

        // Loaded from outside the page: only polling can tell it.
        using (var response = await fixture.Stack.Client.GetAsync(fixture.Stack.FrontDoor + "/upstream/beta/"))
        {
            Assert.True(response.IsSuccessStatusCode, $"loading beta -> {(int)response.StatusCode}");
        }

        await Expect(badge).ToHaveTextAsync("ready");
        await session.ByTestId("model-unload-beta").ClickAsync();
        await Expect(badge).ToHaveTextAsync("stopped");
        await session.AssertSameDocumentAsync();
        session.AssertNoScriptErrors();
    }
}
