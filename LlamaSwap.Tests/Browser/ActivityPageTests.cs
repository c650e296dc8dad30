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

        // The table shows one page; the total counts every row.
        var total = session.ByTestId("activity-total");
        await Expect(total).ToHaveTextAsync(new Regex(@"^\d+ requests$"));
        var before = int.Parse((await total.TextContentAsync())!.Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
        var marker = "capture-marker-" + Guid.NewGuid().ToString("N");

        using (var response = await fixture.Stack.Client.PostAsJsonAsync(fixture.Stack.FrontDoor + "/v1/chat/completions", new
        {
            model = "alpha",
            messages = new[] { new { role = "user", content = marker } },
        }))
        {
            Assert.True(response.IsSuccessStatusCode, $"chat with alpha -> {(int)response.StatusCode}");
        }

        await Expect(total).ToHaveTextAsync($"{before + 1} requests");
        var newest = rows.First;
        await Expect(newest).ToContainTextAsync("alpha");
        await Expect(newest).ToContainTextAsync("/v1/chat/completions");
        await Expect(newest).ToContainTextAsync("200");

        await newest.GetByRole(AriaRole.Link, new() { Name = "View" }).ClickAsync();

        await Expect(page).ToHaveURLAsync(new Regex("#/captures/[0-9]+$"));
        await Expect(session.ByTestId("capture-path")).ToHaveTextAsync("/v1/chat/completions");
        await Expect(session.ByTestId("capture-req-body")).ToContainTextAsync(marker);
        await Expect(session.ByTestId("capture-resp-body")).ToContainTextAsync(BrowserFixture.AlphaReply);
        await Expect(session.ByTestId("capture-req-headers")).ToContainTextAsync("application/json");
        await session.ScreenshotAsync("capture");
        session.AssertNoScriptErrors();
    }

    [Fact]
    public async Task Charts_Timeline_Filters_Sorting_AndPaging_WorkOnRecordedTraffic()
    {
        // Swaps between the two models (one group: each load evicts the other), then more requests.
        await fixture.Stack.UnloadAllAsync();
        string[] models = ["alpha", "beta", "alpha", "beta", "alpha", "beta", "alpha", "alpha", "alpha", "beta", "beta", "alpha"];
        var before = await ActivityTotalAsync();
        foreach (var model in models)
        {
            await ChatAsync(model, "traffic");
        }

        await Infrastructure.Eventually.TrueAsync(async () => await ActivityTotalAsync() >= before + models.Length, "every request has its activity row", TimeSpan.FromSeconds(20));
        await using var session = await fixture.OpenAsync(throughAuthProxy: true);
        var page = session.Page;
        await page.GotoAsync("/ui/#/activity");
        var rows = page.Locator("[data-testid^='activity-row-']");
        await Expect(rows.First).ToBeVisibleAsync();

        // Charts: one series per model, every chart with plotted values, and the models' timeline.
        foreach (var chart in new[] { "chart-tokens-per-second", "chart-ttft", "chart-queue-wait", "chart-swap-cost" })
        {
            await Expect(session.ByTestId(chart)).ToHaveAttributeAsync("data-points", new Regex("^[1-9][0-9]*$"));
            await Expect(session.ByTestId(chart).Locator("canvas")).ToHaveCountAsync(1);
            await Expect(session.ByTestId(chart).Locator(".u-legend")).ToContainTextAsync("alpha");
            await Expect(session.ByTestId(chart).Locator(".u-legend")).ToContainTextAsync("beta");
        }

        await Expect(session.ByTestId("timeline-segment-alpha").First).ToBeVisibleAsync();
        await Expect(session.ByTestId("timeline-segment-beta").First).ToBeVisibleAsync();
        await page.SetViewportSizeAsync(1280, 1400);
        await session.ScreenshotAsync("activity");

        // Paging: ten rows a page, the next page holds older rows.
        await session.ByTestId("activity-page-size").SelectOptionAsync("10");
        await Expect(rows).ToHaveCountAsync(10);
        await Expect(session.ByTestId("activity-page-info")).ToHaveTextAsync(new Regex(@"^Page 1 of ([2-9]|\d\d+)$"));
        await Expect(session.ByTestId("activity-prev")).ToBeDisabledAsync();
        var lastOnFirstPage = await RowIdAsync(rows.Last);
        await session.ByTestId("activity-next").ClickAsync();
        await Expect(session.ByTestId("activity-page-info")).ToHaveTextAsync(new Regex(@"^Page 2 of "));
        await Expect(session.ByTestId("activity-prev")).ToBeEnabledAsync();
        Assert.True(await RowIdAsync(rows.First) < lastOnFirstPage, "page 2 starts with rows older than page 1's last");

        // Sorting by a column: model ascending puts alpha first, a second click reverses the order
        // (other tests of this fixture may have recorded rows of further models, e.g. studio).
        await session.ByTestId("activity-sort-model").ClickAsync();
        await Expect(session.ByTestId("activity-page-info")).ToHaveTextAsync(new Regex(@"^Page 1 of "));
        await Expect(rows.First.Locator("td").Nth(2)).ToHaveTextAsync("alpha");
        await session.ByTestId("activity-sort-model").ClickAsync();
        await Expect(rows.First.Locator("td").Nth(2)).Not.ToHaveTextAsync("alpha");
        var descending = await page.Locator("[data-testid^='activity-row-'] td:nth-child(3)").AllTextContentsAsync();
        Assert.Equal(descending.OrderByDescending(m => m, StringComparer.Ordinal), descending);
        await session.ByTestId("activity-sort-id").ClickAsync();

        // Filters: the model picker, the path and the status each change the rows.
        await page.Locator("[data-testid='activity-filter-models']").ClickAsync();
        await session.ByTestId("activity-model-beta").CheckAsync();
        await Expect(session.ByTestId("activity-filter-models")).ToHaveTextAsync("Models: beta");
        await Expect(rows.First.Locator("td").Nth(2)).ToHaveTextAsync("beta");
        Assert.All(await page.Locator("[data-testid^='activity-row-'] td:nth-child(3)").AllTextContentsAsync(), model => Assert.Equal("beta", model));

        // Live: a new row for the filtered model appears; one for another model does not.
        var newestBeta = await RowIdAsync(rows.First);
        await ChatAsync("alpha", "live-filtered-out");
        await ChatAsync("beta", "live-kept");
        await Expect(rows.First).Not.ToHaveAttributeAsync("data-testid", $"activity-row-{newestBeta}");
        Assert.True(await RowIdAsync(rows.First) > newestBeta + 1, "the newest row is beta's, after alpha's");
        await Expect(rows.First.Locator("td").Nth(2)).ToHaveTextAsync("beta");
        await Expect(session.ByTestId("activity-model-beta")).ToBeCheckedAsync();

        await session.ByTestId("activity-filter-path").FillAsync("/no/such/path");
        await Expect(page.GetByText("No requests match.")).ToBeVisibleAsync();
        await Expect(session.ByTestId("activity-total")).ToHaveTextAsync("0 requests");
        await session.ByTestId("activity-filter-path").FillAsync("/v1/chat");
        await Expect(rows.First).ToBeVisibleAsync();
        await session.ByTestId("activity-filter-status").SelectOptionAsync("errors");
        await Expect(page.Locator("[data-testid^='activity-row-'] .status-ok")).ToHaveCountAsync(0);
        await session.ByTestId("activity-filter-status").SelectOptionAsync("ok");
        await Expect(rows.First).ToBeVisibleAsync();

        // The filters survive a visit elsewhere and back.
        await page.GotoAsync("/ui/#/models");
        await Expect(session.ByTestId("model-state-alpha")).ToBeVisibleAsync();
        await page.GotoAsync("/ui/#/activity");
        await Expect(session.ByTestId("activity-filter-models")).ToHaveTextAsync("Models: beta");
        await Expect(session.ByTestId("activity-filter-path")).ToHaveValueAsync("/v1/chat");
        session.AssertNoScriptErrors();
    }

    private static async Task<long> RowIdAsync(ILocator row)
        => long.Parse((await row.GetAttributeAsync("data-testid"))!["activity-row-".Length..], System.Globalization.CultureInfo.InvariantCulture);

    private async Task<int> ActivityTotalAsync()
    {
        using var activity = await fixture.Stack.GetJsonAsync("/api/metrics/activity?limit=1");
        return activity.RootElement.GetProperty("total").GetInt32();
    }

    private async Task ChatAsync(string model, string content)
    {
        using var response = await fixture.Stack.Client.PostAsJsonAsync(fixture.Stack.FrontDoor + "/v1/chat/completions", new
        {
            model,
            messages = new[] { new { role = "user", content } },
        });
        Assert.True(response.IsSuccessStatusCode, $"chat with {model} -> {(int)response.StatusCode}");
    }
}
