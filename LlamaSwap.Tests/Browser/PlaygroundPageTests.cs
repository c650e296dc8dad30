using System.Text;
using System.Text.Json;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace LlamaSwap.Tests.Browser;

/// <summary>
/// The Playground, through the auth proxy: a streamed multi-turn chat rendered as sanitised
/// markdown and exported, and each non-chat kind against the test upstream (<c>studio</c> says it
/// can do them all; <c>alpha</c> says nothing, so only chat and embeddings).
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class PlaygroundPageTests(BrowserFixture fixture)
{
    [Fact]
    public async Task Send_StreamsTheReplyIntoThePage_PieceByPiece()
    {
        await using var session = await fixture.OpenAsync(throughAuthProxy: true);
        var page = session.Page;
        await page.GotoAsync("/ui/#/playground");
        await session.ByTestId("playground-model").SelectOptionAsync("beta");
        await session.ByTestId("playground-system").FillAsync("You are terse.");
        await session.ByTestId("playground-user").FillAsync("Say hello to the browser test.");
        // Every text the reply shows on its way: a streamed reply passes through partial texts.
        await page.EvaluateAsync("""
            () => {
              const conversation = document.querySelector('[data-testid="playground-conversation"]');
              window.__replyTexts = [];
              new MutationObserver(() => {
                const reply = conversation.querySelector('[data-testid="playground-reply"]');
                if (reply) window.__replyTexts.push(reply.textContent.trim());
              }).observe(conversation, { childList: true, characterData: true, subtree: true });
            }
            """);

        await session.ByTestId("playground-send").ClickAsync();

        var reply = session.ByTestId("playground-reply");
        await Expect(reply).ToHaveTextAsync(BrowserFixture.BetaReply, new() { Timeout = 45_000 });
        await Expect(session.ByTestId("playground-stats")).ToContainTextAsync("tokens/s");
        await Expect(session.ByTestId("playground-send")).ToBeEnabledAsync();
        var texts = await page.EvaluateAsync<string[]>("() => window.__replyTexts");
        var partial = texts.Where(t => t.Length > 0 && t != BrowserFixture.BetaReply).Distinct().ToList();
        Assert.True(partial.Count >= 2, "the reply should arrive in pieces; the page showed: " + string.Join(" | ", texts));
        Assert.All(partial, t => Assert.StartsWith(t, BrowserFixture.BetaReply, StringComparison.Ordinal));
        session.AssertNoScriptErrors();
    }

    [Fact]
    public async Task Chat_RendersSanitisedMarkdown_KeepsTheTurns_AndExportsThem()
    {
        await using var session = await fixture.OpenAsync(throughAuthProxy: true);
        var page = session.Page;
        await page.GotoAsync("/ui/#/playground");
        await session.ByTestId("playground-model").SelectOptionAsync("studio");
        await session.ByTestId("playground-system").FillAsync("Answer in markdown.");
        var firstQuestion = "How do I start? " + Guid.NewGuid().ToString("N");

        await session.ByTestId("playground-user").FillAsync(firstQuestion);
        await session.ByTestId("playground-send").ClickAsync();
        var reply = session.ByTestId("playground-reply");
        await Expect(reply.Locator("pre code")).ToHaveTextAsync("const answer = 42;", new() { Timeout = 45_000 });
        await Expect(session.ByTestId("playground-send")).ToBeEnabledAsync();
        await Expect(reply.Locator("strong")).ToHaveTextAsync("Bold");
        await Expect(reply.Locator("em")).ToHaveTextAsync("emphasis");

        // What the model said about scripts and handlers is inert: nothing ran, nothing is in the DOM.
        Assert.Equal(0, await page.Locator("[data-testid='playground-conversation'] script, [data-testid='playground-conversation'] [onerror], [data-testid='playground-conversation'] img").CountAsync());
        Assert.True(await page.EvaluateAsync<bool>("() => window.__xss === undefined"), "model output ran a script");

        // A second turn sends the whole conversation.
        await session.ByTestId("playground-user").FillAsync("And then?");
        await session.ByTestId("playground-send").ClickAsync();
        await Expect(page.Locator(".message.assistant")).ToHaveCountAsync(2, new() { Timeout = 45_000 });
        await Expect(session.ByTestId("playground-send")).ToBeEnabledAsync();
        var last = fixture.Stack.RequestsReceivedBy("studio").Last(r => r.GetProperty("path").GetString() == "/v1/chat/completions");
        var roles = JsonDocument.Parse(last.GetProperty("body").GetString()!).RootElement.GetProperty("messages")
            .EnumerateArray().Select(m => m.GetProperty("role").GetString()).ToList();
        Assert.Equal(["system", "user", "assistant", "user"], roles);

        var download = await page.RunAndWaitForDownloadAsync(() => session.ByTestId("playground-export").ClickAsync());
        Assert.EndsWith(".md", download.SuggestedFilename, StringComparison.Ordinal);
        var exported = await File.ReadAllTextAsync(await download.PathAsync(), Encoding.UTF8);
        var reply1 = BrowserFixture.StudioReply.Replace("\\n", "\n", StringComparison.Ordinal).Trim();
        Assert.Contains("## System\n\nAnswer in markdown.\n", exported, StringComparison.Ordinal);
        Assert.Contains($"## User\n\n{firstQuestion}\n\n## Assistant (studio)\n\n{reply1}\n\n## User\n\nAnd then?\n\n## Assistant (studio)\n", exported, StringComparison.Ordinal);
        Assert.StartsWith("# ", exported, StringComparison.Ordinal);

        await session.ScreenshotAsync("playground");

        // Code stays readable in dark mode: light text on a dark block.
        await page.EmulateMediaAsync(new() { ColorScheme = ColorScheme.Dark });
        var contrast = await page.EvaluateAsync<double[]>("""
            () => {
              const pre = document.querySelector('[data-testid="playground-reply"] pre');
              const lum = (css) => {
                const [r, g, b] = css.match(/\d+(\.\d+)?/g).slice(0, 3).map(Number);
                return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
              };
              const code = pre.querySelector('code');
              return [lum(getComputedStyle(code).color), lum(getComputedStyle(pre).backgroundColor)];
            }
            """);
        Assert.True(contrast[0] > 0.6 && contrast[1] < 0.2, $"dark mode code: text luminance {contrast[0]:F2}, background {contrast[1]:F2}");
        session.AssertNoScriptErrors();
    }

    [Fact]
    public async Task ModelWithoutACapability_DisablesItsTab_AndSaysWhy()
    {
        await using var session = await fixture.OpenAsync(throughAuthProxy: true);
        await session.Page.GotoAsync("/ui/#/playground");

        await session.ByTestId("playground-model").SelectOptionAsync("alpha");

        await Expect(session.ByTestId("playground-tab-chat")).ToBeEnabledAsync();
        await Expect(session.ByTestId("playground-tab-embeddings")).ToBeEnabledAsync();
        foreach (var kind in new[] { "rerank", "images", "transcription", "speech" })
        {
            await Expect(session.ByTestId($"playground-tab-{kind}")).ToBeDisabledAsync();
        }

        await Expect(session.ByTestId("playground-tab-rerank")).ToHaveAttributeAsync("title", "capabilities.reranker is not set");
        await Expect(session.ByTestId("playground-why")).ToContainTextAsync("alpha does not offer Rerank (capabilities.reranker is not set)");

        await session.ByTestId("playground-model").SelectOptionAsync("studio");
        foreach (var kind in new[] { "chat", "embeddings", "rerank", "images", "transcription", "speech" })
        {
            await Expect(session.ByTestId($"playground-tab-{kind}")).ToBeEnabledAsync();
        }

        await Expect(session.ByTestId("playground-why")).ToBeHiddenAsync();
        session.AssertNoScriptErrors();
    }

    [Fact]
    public async Task EveryOtherKind_AnswersFromTheModel()
    {
        await using var session = await fixture.OpenAsync(throughAuthProxy: true);
        var page = session.Page;
        await page.GotoAsync("/ui/#/playground");
        await session.ByTestId("playground-model").SelectOptionAsync("studio");

        await session.ByTestId("playground-tab-embeddings").ClickAsync();
        await session.ByTestId("playground-embeddings-input").FillAsync("the quick brown fox");
        await session.ByTestId("playground-embeddings-input2").FillAsync("the quick brown fox");
        await session.ByTestId("playground-embeddings-run").ClickAsync();
        await Expect(session.ByTestId("playground-embeddings-dimensions")).ToHaveTextAsync("8 dimensions", new() { Timeout = 45_000 });
        await Expect(session.ByTestId("playground-embeddings-values-0")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^#1: \[(-?\d\.\d{4}, ){7}-?\d\.\d{4}\]$"));
        // Equal texts embed equally.
        await Expect(session.ByTestId("playground-embeddings-cosine")).ToHaveTextAsync("Cosine similarity: 1.0000");

        await session.ByTestId("playground-tab-rerank").ClickAsync();
        await session.ByTestId("playground-rerank-query").FillAsync("how do llms work");
        await session.ByTestId("playground-rerank-documents").FillAsync("rome was old\nllms work by predicting\nhow to cook");
        await session.ByTestId("playground-rerank-run").ClickAsync();
        var rows = session.ByTestId("playground-rerank-table").Locator("tbody tr");
        await Expect(rows).ToHaveCountAsync(3, new() { Timeout = 45_000 });
        await Expect(rows.Nth(0)).ToContainTextAsync("0.5000llms work by predicting");
        await Expect(rows.Nth(1)).ToContainTextAsync("0.2500how to cook");
        await Expect(rows.Nth(2)).ToContainTextAsync("0.0000rome was old");

        await session.ByTestId("playground-tab-transcription").ClickAsync();
        await session.ByTestId("playground-transcription-file").SetInputFilesAsync(new FilePayload
        {
            Name = "clip.wav",
            MimeType = "audio/wav",
            Buffer = new byte[1234],
        });
        await session.ByTestId("playground-transcription-run").ClickAsync();
        await Expect(session.ByTestId("playground-transcription-text")).ToHaveTextAsync("The length of the file is 1234 bytes", new() { Timeout = 45_000 });

        await session.ByTestId("playground-tab-speech").ClickAsync();
        await session.ByTestId("playground-speech-input").FillAsync("Hello from the playground");
        await session.ByTestId("playground-speech-run").ClickAsync();
        var audio = session.ByTestId("playground-speech-audio");
        await Expect(audio).ToHaveAttributeAsync("src", new System.Text.RegularExpressions.Regex("^blob:"), new() { Timeout = 45_000 });
        // The element plays what came back: the browser reads it as 0.4 s of audio.
        await page.WaitForFunctionAsync("() => document.querySelector('[data-testid=\"playground-speech-audio\"]').readyState >= 1");
        var seconds = await audio.EvaluateAsync<double>("a => a.duration");
        Assert.InRange(seconds, 0.35, 0.45);

        await session.ByTestId("playground-tab-images").ClickAsync();
        await session.ByTestId("playground-images-prompt").FillAsync("a lighthouse at dusk");
        await session.ByTestId("playground-images-n").FillAsync("2");
        await session.ByTestId("playground-images-run").ClickAsync();
        var images = session.ByTestId("playground-image");
        await Expect(images).ToHaveCountAsync(2, new() { Timeout = 45_000 });
        await page.WaitForFunctionAsync("() => [...document.querySelectorAll('[data-testid=\"playground-image\"]')].every(i => i.complete && i.naturalWidth === 64)");
        await session.ScreenshotAsync("playground-images");
        session.AssertNoScriptErrors();
    }
}
