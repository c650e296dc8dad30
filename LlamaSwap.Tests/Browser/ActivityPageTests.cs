using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace LlamaSwap.Tests.Browser;

/// <summary>The Activity page and the capture viewer it links to, through the auth proxy.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ActivityPageTests(BrowserFixture fixture)
{
    [Fact]
    public async Task NewRequest_AppearsLive_AndItsCaptureOpens()
    {
        await using var session = await fixture.OpenAsync(throughAuthProxy: true);
        var page = session.Page;
        await page.GotoAsync("/ui/#/activity");
        await Expect(session.ByTestId("activity-total")).ToContainTextAsync("requests");
        var rows = page.Locator("[data-testid^='activity-row-']");
        var before = await rows.CountAsync();
        var marker = "capture-marker-" + Guid.NewGuid().ToString("N");

        using (var response = await fixture.Stack.Client.PostAsJsonAsync(fixture.Stack.FrontDoor + "/v1/chat/completions", new
        {
            model = "alpha",
            messages = new[] { new { role = "user", content = marker } },
        }))
        {
            Assert.True(response.IsSuccessStatusCode, $"chat with alpha -> {(int)response.StatusCode}");
        }

        await Expect(rows).ToHaveCountAsync(before + 1);
        var newest = rows.First;
        await Expect(newest).ToContainTextAsync("alpha");
        await Expect(newest).ToContainTextAsync("/v1/chat/completions");
        await Expect(newest).ToContainTextAsync("200");
        await session.ScreenshotAsync("activity");

        await newest.GetByRole(AriaRole.Link, new() { Name = "View" }).ClickAsync();

        await Expect(page).ToHaveURLAsync(new Regex("#/captures/[0-9]+$"));
        await Expect(session.ByTestId("capture-path")).ToHaveTextAsync("/v1/chat/completions");
        await Expect(session.ByTestId("capture-req-body")).ToContainTextAsync(marker);
        await Expect(session.ByTestId("capture-resp-body")).ToContainTextAsync(BrowserFixture.AlphaReply);
        await Expect(session.ByTestId("capture-req-headers")).ToContainTextAsync("application/json");
        await session.ScreenshotAsync("capture");
        session.AssertNoScriptErrors();
    }
}
