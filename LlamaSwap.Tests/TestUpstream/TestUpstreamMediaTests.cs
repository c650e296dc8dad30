using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace LlamaSwap.Tests.TestUpstream;

/// <summary>The test upstream's rerank, image and speech answers: the shapes the playground and the gateway rely on.</summary>
public sealed class TestUpstreamMediaTests
{
    [Fact]
    public async Task Rerank_ScoresByQueryWords_BestFirst_CutToTopN()
    {
        await using var upstream = await RunningTestUpstream.StartAsync();

        using var response = await upstream.Client.PostAsJsonAsync("v1/rerank", new JsonObject
        {
            ["model"] = "r",
            ["query"] = "how do llms work",
            ["documents"] = new JsonArray("rome was old", "llms work by predicting", "how to cook"),
            ["top_n"] = 2,
        });
        response.EnsureSuccessStatusCode();
        var results = (await response.Content.ReadFromJsonAsync<JsonObject>())!["results"]!.AsArray();

        Assert.Equal([1, 2], results.Select(r => r!["index"]!.GetValue<int>()));
        Assert.Equal([0.5, 0.25], results.Select(r => r!["relevance_score"]!.GetValue<double>()));
    }

    [Fact]
    public async Task ImagesGenerations_AnswersAPngPerImage_TheSameForTheSamePrompt()
    {
        await using var upstream = await RunningTestUpstream.StartAsync();

        async Task<string[]> GenerateAsync()
        {
            using var response = await upstream.Client.PostAsJsonAsync("v1/images/generations", new JsonObject { ["prompt"] = "a red fox", ["n"] = 2 });
            response.EnsureSuccessStatusCode();
            var data = (await response.Content.ReadFromJsonAsync<JsonObject>())!["data"]!.AsArray();
            return [.. data.Select(d => d!["b64_json"]!.GetValue<string>())];
        }

        var first = await GenerateAsync();
        var second = await GenerateAsync();

        Assert.Equal(2, first.Length);
        Assert.All(first, image => Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], Convert.FromBase64String(image)[..4]));
        Assert.NotEqual(first[0], first[1]);
        Assert.Equal(first, second);
    }

    [Fact]
    public async Task AudioSpeech_AnswersAWavBody()
    {
        await using var upstream = await RunningTestUpstream.StartAsync();

        using var response = await upstream.Client.PostAsJsonAsync("v1/audio/speech", new JsonObject { ["model"] = "tts", ["input"] = "hello there" });
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal("audio/wav", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("RIFF"u8.ToArray(), body[..4]);
        Assert.Equal("WAVE"u8.ToArray(), body[8..12]);
        Assert.True(body.Length > 1000, $"{body.Length} bytes");
    }

    [Fact]
    public async Task MediaRoutes_WithoutTheirInput_AreBadRequests()
    {
        await using var upstream = await RunningTestUpstream.StartAsync();

        foreach (var path in new[] { "v1/rerank", "v1/images/generations", "v1/audio/speech" })
        {
            using var response = await upstream.Client.PostAsJsonAsync(path, new JsonObject { ["model"] = "m" });
            Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
        }
    }
}
