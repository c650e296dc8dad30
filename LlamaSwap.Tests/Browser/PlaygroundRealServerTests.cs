using System.Text.RegularExpressions;
using LlamaSwap.Tests.EndToEnd;
using LlamaSwap.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace LlamaSwap.Tests.Browser;

/// <summary>
/// The playground's embeddings against a real llama-server (<c>--embeddings --pooling mean</c>, the
/// shared tiny model: 64 dimensions), through the auth proxy. Rerank is not tried: llama-server's
/// <c>--reranking</c> needs a reranker model, and the shared one is not.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class PlaygroundRealServerTests
{
    [LlamaServerFact]
    public async Task Embeddings_FromARealLlamaServer_ShowTheDimensionsAndTheSimilarity()
    {
        await using var stack = await LlamaSwapStack.StartAsync($$$"""
            healthCheckTimeout: 60
            startPort: {{startPort}}
            apiKeys: ["{{{LlamaSwapStack.ApiKey}}}"]
            models:
              embed:
                cmd: {{{SharedLlamaServer.Command(SharedLlamaServer.B10309, "--embeddings --pooling mean")}}}
            """, portCount: 2);
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Environment.GetEnvironmentVariable(BrowserFixture.ChromiumVariable) is { Length: > 0 } chromium ? chromium : "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--no-first-run"],
        });
        await using var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = stack.FrontDoor,
            HttpCredentials = new HttpCredentials { Username = "ui", Password = LlamaSwapStack.ApiKey },
        });
        var page = await context.NewPageAsync();
        var errors = new List<string>();
        page.PageError += (_, error) => errors.Add(error);

        await page.GotoAsync("/ui/#/playground");
        await page.GetByTestId("playground-model").SelectOptionAsync("embed");
        await page.GetByTestId("playground-tab-embeddings").ClickAsync();
        await page.GetByTestId("playground-embeddings-input").FillAsync("The cat sat on the mat.");
        await page.GetByTestId("playground-embeddings-input2").FillAsync("A completely different sentence about rockets.");
        await page.GetByTestId("playground-embeddings-run").ClickAsync();

        await Expect(page.GetByTestId("playground-embeddings-dimensions")).ToHaveTextAsync("64 dimensions", new() { Timeout = 90_000 });
        await Expect(page.GetByTestId("playground-embeddings-values-1")).ToHaveTextAsync(new Regex(@"^#2: \[(-?\d\.\d{4}, ){8}…\]$"));
        var cosine = await page.GetByTestId("playground-embeddings-cosine").TextContentAsync() ?? "";
        var value = double.Parse(Regex.Match(cosine, @"-?\d\.\d{4}$").Value, System.Globalization.CultureInfo.InvariantCulture);
        // Two different texts: a real similarity, not the 1.0 of identical vectors (nor garbage).
        Assert.InRange(value, -1.0, 0.9999);
        Assert.Empty(errors);
    }
}
