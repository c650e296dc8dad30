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

        // Live: new samples arrive while the page stays open (performance.every is 5 s).
        await page.WaitForFunctionAsync(
            """() => /· ([3-9]|\d\d+) samples/.test(document.querySelector('[data-testid="performance-updated"]').textContent)""",
            null,
            new() { Timeout = 60_000 });

        // Hovering a chart puts the values under the cursor into its legend.
        var cpu = session.ByTestId("chart-cpu");
        var box = (await cpu.Locator(".u-over").BoundingBoxAsync())!;
        await page.Mouse.MoveAsync(box.X + box.Width - 2, box.Y + box.Height / 2);
        await Expect(cpu.Locator(".u-legend .u-series").Nth(1).Locator(".u-value")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"\d"));
        await page.Mouse.MoveAsync(0, 0);

        await session.AssertSameDocumentAsync();
        await session.ScreenshotAsync("performance");
        session.AssertNoScriptErrors();
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
