using static Microsoft.Playwright.Assertions;

namespace LlamaSwap.Tests.Browser;

/// <summary>
/// The Performance and Hardware pages on the real stack, whose gateway reads a fake <c>rocm-smi</c>
/// printing a recorded two-GPU machine (<see cref="BrowserFixture"/>).
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class PerformancePageTests(BrowserFixture fixture)
{
    [Fact]
    public async Task Performance_DrawsCpuMemoryAndPerGpuCharts_WithValues_AndGrowsLive()
    {
        await using var session = await fixture.OpenAsync(throughAuthProxy: true);
        var page = session.Page;

        await page.GotoAsync("/ui/#/performance");

        foreach (var chart in new[] { "chart-cpu", "chart-memory", "chart-gpu-util", "chart-gpu-memory" })
        {
            await Expect(session.ByTestId(chart).Locator("canvas")).ToBeVisibleAsync();
        }

        await Expect(session.ByTestId("chart-gpu-memory").Locator(".u-legend")).ToContainTextAsync("GPU 0 Navi 21");
        await Expect(session.ByTestId("chart-gpu-memory").Locator(".u-legend")).ToContainTextAsync("GPU 1 Raphael");
        await Expect(session.ByTestId("tile-gpu-1")).ToContainTextAsync("0.0 / 0.1 GiB");
        await Expect(session.ByTestId("tile-memory")).ToContainTextAsync("GiB");
        await Expect(session.ByTestId("performance-no-gpu")).ToBeHiddenAsync();
        await session.MarkDocumentAsync();

        // The legends show the newest values (the average CPU, GPU 1's memory in GiB).
        var cpu = session.ByTestId("chart-cpu");
        await Expect(cpu.Locator(".u-legend .u-series").Nth(1).Locator(".u-value")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^\d+(\.\d+)?%?"));
        await Expect(session.ByTestId("chart-gpu-memory").Locator(".u-legend .u-series").Nth(2).Locator(".u-value")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^0\.02"));

        // Live: a new sample arrives while the page stays open (performance.every is 5 s).
        var samples = await SampleCountAsync(session);
        await page.WaitForFunctionAsync(
            """seen => Number(/· (\d+) samples/.exec(document.querySelector('[data-testid="performance-updated"]').textContent)?.[1] ?? 0) > seen""",
            samples,
            new() { Timeout = 60_000 });

        await session.AssertSameDocumentAsync();
        await session.ScreenshotAsync("performance");
        session.AssertNoScriptErrors();
    }

    private static async Task<int> SampleCountAsync(BrowserSession session)
    {
        var text = await session.ByTestId("performance-updated").TextContentAsync() ?? "";
        var match = System.Text.RegularExpressions.Regex.Match(text, @"· (\d+) samples");
        Assert.True(match.Success, $"the page says how many samples it has: '{text}'");
        return int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task Hardware_ShowsTheCpuMemoryAndBothGpus()
    {
        await using var session = await fixture.OpenAsync(throughAuthProxy: true);
        var page = session.Page;

        await page.GotoAsync("/ui/#/hardware");

        await Expect(session.ByTestId("hardware-cpu")).ToContainTextAsync($"Logical threads{Environment.ProcessorCount}");
        await Expect(session.ByTestId("hardware-system")).ToContainTextAsync("GiB");
        var gpus = session.ByTestId("hardware-gpus").Locator("tbody tr");
        await Expect(gpus).ToHaveCountAsync(2);
        await Expect(gpus.Nth(0)).ToContainTextAsync("Navi 21 [Radeon RX 6800/6800 XT / 6900 XT]");
        await Expect(gpus.Nth(1)).ToContainTextAsync("Raphael");
        await Expect(gpus.Nth(1)).ToContainTextAsync("64 MiB (dedicated)");
        await Expect(session.ByTestId("nav-hardware")).ToHaveAttributeAsync("aria-current", "page");
        await session.ScreenshotAsync("hardware");
        session.AssertNoScriptErrors();
    }
}
