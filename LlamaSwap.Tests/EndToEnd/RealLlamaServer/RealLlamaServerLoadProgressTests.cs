using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using LlamaSwap.Tests.Infrastructure;
using Xunit.Abstractions;

namespace LlamaSwap.Tests.EndToEnd.RealLlamaServer;

/// <summary>
/// Real load progress from a real llama-server loading a 635 MB model from disk (about 3 s): in a
/// <c>sendLoadingState</c> stream and in <c>/api/events</c> modelStatus.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed partial class RealLlamaServerLoadProgressTests(ITestOutputHelper output)
{
    /// <summary>A stack with one model, <c>big</c>, that loads <see cref="LoadingModel"/>.</summary>
    internal static async Task<(LlamaSwapStack Stack, string Model)> StartAsync(string build)
    {
        var model = await LoadingModel.PathAsync();
        LoadingModel.EvictFromPageCache(model);
        var stack = await LlamaSwapStack.StartAsync($$$"""
            healthCheckTimeout: 120
            startPort: {{startPort}}
            sendLoadingState: true
            apiKeys: ["{{{LlamaSwapStack.ApiKey}}}"]
            models:
              big:
                name: Big random model
                cmd: {{{LoadingModel.Command(build, model)}}}
            """, portCount: 2);
        return (stack, model);
    }

    [LoadingModelFact]
    public async Task SendLoadingStateStream_ShowsTheLoadGrowing_ThenTheAnswer()
    {
        var (stack, model) = await StartAsync(SharedLlamaServer.B10309);
        await using var owned = stack;
        var size = new FileInfo(model).Length;

        using var request = new HttpRequestMessage(HttpMethod.Post, stack.FrontDoor + "/v1/chat/completions")
        {
            Content = new StringContent("""{"model":"big","stream":true,"max_tokens":4,"messages":[{"role":"user","content":"hi"}]}""", Encoding.UTF8, "application/json"),
        };
        using var response = await stack.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.True(response.IsSuccessStatusCode, stack.Diagnostics());
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());

        var reasoning = new StringBuilder();
        var answered = false;
        while (await reader.ReadLineAsync() is { } line)
        {
            if (!line.StartsWith("data: ", StringComparison.Ordinal) || line == "data: [DONE]")
            {
                continue;
            }

            var delta = JsonDocument.Parse(line["data: ".Length..]).RootElement.GetProperty("choices")[0].GetProperty("delta");
            if (delta.TryGetProperty("reasoning_content", out var text) && text.GetString() is { } part)
            {
                reasoning.Append(part);
            }
            else if (delta.TryGetProperty("content", out _))
            {
                answered = true;
            }
        }

        var shown = reasoning.ToString();
        output.WriteLine(shown);
        var percents = ProgressLine().Matches(shown).Select(m => int.Parse(m.Groups["percent"].Value, CultureInfo.InvariantCulture)).ToList();
        Assert.True(percents.Distinct().Count() >= 2, $"at least two progress values while loading:\n{shown}\n{stack.Diagnostics()}");
        Assert.Equal(percents.Order(), percents);
        Assert.Equal(percents.Distinct().Count(), percents.Count);
        Assert.All(ProgressLine().Matches(shown), m => Assert.Equal($"{size / 1e6:F0} MB", m.Groups["total"].Value));
        Assert.True(shown.IndexOf("Done! (", StringComparison.Ordinal) > shown.LastIndexOf("loading big:", StringComparison.Ordinal), shown);
        Assert.True(answered, $"the model's own answer follows the loading text:\n{shown}");
    }

    [LoadingModelFact]
    public async Task EventsModelStatus_CarriesProgressWhileStarting_AndNoneOnceReady()
    {
        var (stack, model) = await StartAsync(SharedLlamaServer.B4750);
        await using var owned = stack;
        var size = new FileInfo(model).Length;
        using var events = new HttpRequestMessage(HttpMethod.Get, stack.FrontDoor + "/api/events");
        events.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        using var stream = await stack.Client.SendAsync(events, HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await stream.Content.ReadAsStreamAsync());

        var load = stack.Client.GetAsync(stack.FrontDoor + "/upstream/big/health");
        var seen = new List<JsonElement>();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var state = "";
        while (state != "ready" && await reader.ReadLineAsync(deadline.Token) is { } line)
        {
            if (!line.StartsWith("data:", StringComparison.Ordinal))
            {
                continue;
            }

            var envelope = JsonDocument.Parse(line["data:".Length..]).RootElement;
            if (envelope.GetProperty("type").GetString() != "modelStatus")
            {
                continue;
            }

            var big = JsonDocument.Parse(envelope.GetProperty("data").GetString()!).RootElement.EnumerateArray().Single(m => m.GetProperty("id").GetString() == "big");
            state = big.GetProperty("state").GetString()!;
            if (state == "ready")
            {
                Assert.False(big.TryGetProperty("progress", out _), "a ready model carries no progress: " + big);
            }
            else if (big.TryGetProperty("progress", out var progress))
            {
                Assert.Equal("starting", state);
                seen.Add(progress.Clone());
            }
        }

        using (var loaded = await load)
        {
            Assert.True(loaded.IsSuccessStatusCode, stack.Diagnostics());
        }

        output.WriteLine(string.Join("\n", seen));
        var fractions = seen.Select(p => p.GetProperty("fraction").GetDouble()).ToList();
        Assert.True(fractions.Distinct().Count() >= 2, $"at least two progress values while starting: {string.Join(", ", seen)}\n{stack.Diagnostics()}");
        Assert.Equal(fractions.Order(), fractions);
        Assert.All(seen, p =>
        {
            Assert.Equal(size, p.GetProperty("total_bytes").GetInt64());
            Assert.InRange(p.GetProperty("bytes").GetInt64(), 1, size);
            Assert.InRange(p.GetProperty("fraction").GetDouble(), 0, 1);
            Assert.Equal("proc-io", p.GetProperty("source").GetString());
        });
        Assert.Contains(seen, p => p.GetProperty("eta_ms").ValueKind == JsonValueKind.Number && p.GetProperty("eta_ms").GetInt64() > 0);
    }

    [GeneratedRegex(@"loading big: (?<percent>\d+)% \((?<bytes>[\d.]+ [MG]B) of (?<total>[\d.]+ [MG]B)(, ~\d+ (s|min) left)?\)")]
    private static partial Regex ProgressLine();
}
