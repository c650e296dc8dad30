using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace LlamaSwap.Tests.Browser;

/// <summary>Every UI page at a phone's width: nothing makes the page scroll sideways, and every nav link can be used.</summary>
[Collection(BrowserCollection.Name)]
public sealed class PhoneWidthTests(BrowserFixture fixture)
{
    private const int Width = 400;
    private const int Height = 800;

    private static readonly string[] NavRoutes = ["models", "playground", "logs", "activity"];

    [Fact]
    public async Task EveryPage_At400Px_HasNoSidewaysScroll_AndEveryNavLinkIsUsable()
    {
        var captureId = await RecordedCaptureIdAsync();
        await using var session = await fixture.OpenAsync(throughAuthProxy: true);
        var page = session.Page;
        await page.SetViewportSizeAsync(Width, Height);

        // What each page shows once it has loaded, so the check sees the page's real content.
        var pages = new (string Hash, string Name, string Ready)[]
        {
            ("#/models", "models", "model-state-alpha"),
            ("#/playground", "playground", "playground-send"),
            ("#/logs", "logs", "logs-output"),
            ("#/activity", "activity", $"activity-row-{captureId}"),
            ($"#/captures/{captureId}", "capture", "capture-resp-body"),
            ("#/models/alpha", "model-detail", "model-cmd"),
        };
        foreach (var (hash, name, ready) in pages)
        {
            await page.GotoAsync("/ui/" + hash);
            await Expect(session.ByTestId(ready)).ToBeVisibleAsync();

            var widths = await page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]");
            Assert.True(widths[0] <= widths[1], $"{hash}: the page scrolls sideways (scrollWidth {widths[0]} > clientWidth {widths[1]})");
            await AssertNavLinksInViewAsync(session, hash);
            await session.ScreenshotAsync($"phone-{name}");
        }

        // The activity table is wider than a phone: it scrolls inside its panel instead of the page.
        await page.GotoAsync("/ui/#/activity");
        await Expect(session.ByTestId($"activity-row-{captureId}")).ToBeVisibleAsync();
        var panel = await page.EvaluateAsync<int[]>(
            "() => { const p = document.querySelector('[data-testid=activity-table]').parentElement; return [p.scrollWidth, p.clientWidth]; }");
        Assert.True(panel[0] > panel[1], $"the activity table fits in {panel[1]} px: this test no longer checks that a wide table scrolls inside its panel");

        // Every link works by a real click (Playwright refuses to click what is hidden or covered).
        foreach (var route in NavRoutes)
        {
            var link = session.ByTestId($"nav-{route}");
            await link.ClickAsync();
            await Expect(link).ToHaveAttributeAsync("aria-current", "page");
            await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"#/{route}$"));
        }

        session.AssertNoScriptErrors();
    }

    private static async Task AssertNavLinksInViewAsync(BrowserSession session, string hash)
    {
        foreach (var route in NavRoutes)
        {
            var link = session.ByTestId($"nav-{route}");
            await Expect(link).ToBeVisibleAsync();
            var box = await link.BoundingBoxAsync();
            Assert.True(box is not null, $"{hash}: nav link {route} has no box");
            Assert.True(box.X >= 0 && box.X + box.Width <= Width && box.Y >= 0 && box.Y + box.Height <= Height,
                $"{hash}: nav link {route} is outside the {Width}x{Height} viewport ({box.X}, {box.Y}, {box.Width}x{box.Height})");
        }
    }

    /// <summary>A chat request through the front door, and the ID of its activity row (which has a capture).</summary>
    private async Task<long> RecordedCaptureIdAsync()
    {
        var marker = "phone-" + Guid.NewGuid().ToString("N");
        using (var response = await fixture.Stack.Client.PostAsJsonAsync(fixture.Stack.FrontDoor + "/v1/chat/completions", new
        {
            model = "alpha",
            messages = new[] { new { role = "user", content = marker } },
        }))
        {
            Assert.True(response.IsSuccessStatusCode, $"chat with alpha -> {(int)response.StatusCode}");
        }

        // The row is recorded when the response is over, which may be just after the client has it.
        long? id = null;
        await Infrastructure.Eventually.TrueAsync(
            async () =>
            {
                using var activity = JsonDocument.Parse(await fixture.Stack.Client.GetStringAsync(fixture.Stack.FrontDoor + "/api/metrics/activity?limit=100"));
                id = activity.RootElement.GetProperty("data").EnumerateArray()
                    .Where(row => row.GetProperty("has_capture").GetBoolean() && row.GetProperty("model").GetString() == "alpha")
                    .Select(row => (long?)row.GetProperty("id").GetInt64())
                    .Max();
                return id is not null;
            },
            "the chat request has an activity row with a capture",
            TimeSpan.FromSeconds(20));
        return id!.Value;
    }
}
