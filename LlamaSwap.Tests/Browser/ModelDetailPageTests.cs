using System.Net.Http.Json;
using System.Text.RegularExpressions;
using static Microsoft.Playwright.Assertions;

namespace LlamaSwap.Tests.Browser;

/// <summary>The model detail page (#/models/&lt;id&gt;), reached from the Models page.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ModelDetailPageTests(BrowserFixture fixture)
{
    [Fact]
    public async Task ModelDetail_ShowsConfig_History_Requests_AndLogs_AndUnloads()
    {
        await fixture.Stack.UnloadAllAsync();
        var marker = "detail-" + Guid.NewGuid().ToString("N");
        using (var response = await fixture.Stack.Client.PostAsJsonAsync(fixture.Stack.FrontDoor + "/v1/chat/completions", new
        {
            model = "beta",
            messages = new[] { new { role = "user", content = marker } },
        }))
        {
            Assert.True(response.IsSuccessStatusCode, $"chat with beta -> {(int)response.StatusCode}");
        }

        await using var session = await fixture.OpenAsync(throughAuthProxy: true);
        var page = session.Page;
        await page.GotoAsync("/ui/#/models");
        await session.ByTestId("model-link-beta").ClickAsync();

        await Expect(page).ToHaveURLAsync(new Regex("#/models/beta$"));
        await Expect(session.ByTestId("nav-models")).ToHaveAttributeAsync("aria-current", "page");
        await Expect(session.ByTestId("model-title")).ToHaveTextAsync("beta");
        await Expect(session.ByTestId("model-subtitle")).ToContainTextAsync("Beta");
        await Expect(session.ByTestId("model-state")).ToHaveTextAsync("ready");
        await Expect(session.ByTestId("model-load")).ToBeDisabledAsync();

        // Config: the command line and the effective settings.
        await Expect(session.ByTestId("model-cmd")).ToContainTextAsync(BrowserFixture.BetaReply);
        await Expect(session.ByTestId("model-settings")).ToContainTextAsync("checkEndpoint");
        await Expect(session.ByTestId("model-settings")).ToContainTextAsync("/health");
        await Expect(session.ByTestId("model-capabilities")).ToContainTextAsync("Aliases");

        // State history: the load, with what it cost.
        var history = session.ByTestId("model-history");
        await Expect(history.Locator("tr", new() { HasText = "starting" }).First).ToBeVisibleAsync();
        await Expect(history.Locator("tr", new() { HasText = "ready" }).First).ToContainTextAsync(new Regex(@"\d+(\.\d+)? (ms|s)"));

        // Recent requests, with the capture link, and the model's own log.
        var requests = session.ByTestId("model-requests");
        await Expect(requests.Locator("[data-testid^='model-request-']").First).ToContainTextAsync("/v1/chat/completions");
        await Expect(session.ByTestId("model-logs")).ToHaveTextAsync(new Regex(@"\S"));
        await session.ScreenshotAsync("model-detail");

        // Unload from here: the badge and the history follow live.
        await session.ByTestId("model-unload").ClickAsync();
        await Expect(session.ByTestId("model-state")).ToHaveTextAsync("stopped");
        await Expect(history.Locator("tr", new() { HasText = "stopped" }).First).ToBeVisibleAsync();
        await Expect(session.ByTestId("model-load")).ToBeEnabledAsync();

        await requests.Locator("[data-testid^='model-capture-']").First.ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("#/captures/[0-9]+$"));
        await Expect(session.ByTestId("capture-req-body")).ToContainTextAsync(marker);
        session.AssertNoScriptErrors();
    }

    [Fact]
    public async Task UnknownModel_SaysSo()
    {
        await using var session = await fixture.OpenAsync(throughAuthProxy: false);
        await session.Page.GotoAsync("/ui/#/models/no/such-model");

        await Expect(session.ByTestId("model-error")).ToContainTextAsync("model not found");
        await Expect(session.ByTestId("model-title")).ToHaveTextAsync("no/such-model");
        session.AssertNoScriptErrors();
    }
}
