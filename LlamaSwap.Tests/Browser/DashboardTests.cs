using System.Text.Json;
using LlamaSwap.Tests.EndToEnd;
using LlamaSwap.Tests.Infrastructure;
using Microsoft.Playwright;

namespace LlamaSwap.Tests.Browser;

/// <summary>
/// The README's run command, seen as a user sees it: after one chat request through the front door,
/// the Aspire dashboard holds that request as one trace across the three services (with the GenAI
/// attributes) and the gateway's token metric. Checked through the dashboard's telemetry API, then
/// in the real dashboard pages with chromium (screenshots: <see cref="BrowserFixture.ScreenshotDirectory"/>).
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class DashboardTests
{
    private static readonly string[] Services = ["authproxy", "gateway", "supervisor"];

    [Fact]
    public async Task ChatRequest_IsOneTraceAcrossTheServices_AndItsTokensAreAMetric_InTheDashboard()
    {
        await using var appHost = await RunningAppHost.StartAsync();
        await appHost.ChatAsync("demo-small");
        using var http = new HttpClient { BaseAddress = new Uri(appHost.DashboardUrl), Timeout = TimeSpan.FromSeconds(10) };

        string? traceId = null;
        await Eventually.TrueAsync(
            async () => (traceId = await FindChatTraceAsync(http)) is not null,
            "the dashboard holds a trace with spans of the auth proxy, the gateway and the supervisor, and the chat span",
            TimeSpan.FromSeconds(30));

        var chromium = Environment.GetEnvironmentVariable(BrowserFixture.ChromiumVariable) is { Length: > 0 } configured ? configured : "/usr/bin/chromium";
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
        });
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1440, Height = 900 } });
        page.SetDefaultTimeout(30_000);
        Directory.CreateDirectory(BrowserFixture.ScreenshotDirectory);

        // Resources: the four the AppHost runs, each running.
        await page.GotoAsync(appHost.DashboardUrl + "/");
        foreach (var name in Services.Append("redis"))
        {
            await Assertions.Expect(page.GetByText(name, new PageGetByTextOptions { Exact = true }).First).ToBeVisibleAsync();
        }

        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.ScreenshotDirectory, "dashboard-resources.png") });

        // The trace: the chat span with its model, and every service's name in the waterfall.
        await page.GotoAsync($"{appHost.DashboardUrl}/traces/detail/{traceId}");
        await Assertions.Expect(page.GetByText("chat demo-small").First).ToBeVisibleAsync();
        foreach (var name in Services)
        {
            await Assertions.Expect(page.GetByText(name).First).ToBeVisibleAsync();
        }

        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.ScreenshotDirectory, "dashboard-trace.png") });

        // The token metric, exported every 5 s in a local run: the page lists it once it has arrived.
        await Eventually.TrueAsync(
            async () =>
            {
                await page.GotoAsync($"{appHost.DashboardUrl}/metrics/resource/gateway?meter=LlamaSwap.Gateway&instrument=llamaswap.tokens.output&duration=5");
                try
                {
                    // Selected, the instrument's description heads the chart.
                    await Assertions.Expect(page.GetByText("Generated tokens", new PageGetByTextOptions { Exact = false }).First).ToBeVisibleAsync(new() { Timeout = 5_000 });
                    return true;
                }
                catch (PlaywrightException)
                {
                    return false;
                }
            },
            "the dashboard lists the gateway's llamaswap.tokens.output",
            TimeSpan.FromSeconds(60));
        // Its values, by model: the table view lists the demo model's series.
        await page.GetByText("Table", new PageGetByTextOptions { Exact = true }).First.ClickAsync();
        await Assertions.Expect(page.Locator("table, [role=grid]").GetByText("demo-small").First).ToBeVisibleAsync();
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.ScreenshotDirectory, "dashboard-metrics.png") });
    }

    /// <summary>The id of a trace with the chat span and spans from every service, or null (yet).</summary>
    private static async Task<string?> FindChatTraceAsync(HttpClient http)
    {
        using var document = JsonDocument.Parse(await http.GetStringAsync("/api/telemetry/traces"));
        var spans = new List<(string Service, string TraceId, string Name, JsonElement Span)>();
        foreach (var resourceSpans in document.RootElement.GetProperty("data").GetProperty("resourceSpans").EnumerateArray())
        {
            var service = resourceSpans.GetProperty("resource").GetProperty("attributes").EnumerateArray()
                .FirstOrDefault(a => a.GetProperty("key").GetString() == "service.name").GetProperty("value").GetProperty("stringValue").GetString() ?? "";
            foreach (var scope in resourceSpans.GetProperty("scopeSpans").EnumerateArray())
            {
                foreach (var span in scope.GetProperty("spans").EnumerateArray())
                {
                    spans.Add((service, span.GetProperty("traceId").GetString()!, span.GetProperty("name").GetString()!, span.Clone()));
                }
            }
        }

        foreach (var chat in spans.Where(s => s.Name == "chat demo-small" && s.Service == "gateway"))
        {
            var attributes = chat.Span.GetProperty("attributes").EnumerateArray().Select(a => a.GetProperty("key").GetString()).ToHashSet();
            var services = spans.Where(s => s.TraceId == chat.TraceId).Select(s => s.Service).ToHashSet();
            if (Services.All(services.Contains) && attributes.Contains("gen_ai.request.model") && attributes.Contains("gen_ai.usage.output_tokens"))
            {
                return chat.TraceId;
            }
        }

        return null;
    }
}
