using System.Text;
using System.Text.RegularExpressions;
using LlamaSwap.Gateway.Logs;
using LlamaSwap.Tests.Gateway.Support;
using LlamaSwap.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace LlamaSwap.Tests.Gateway.Logs;

/// <summary>The gateway's access lines in its proxy log, as llama-swap writes them.</summary>
public sealed class AccessLogMiddlewareTests
{
    [Fact]
    public async Task Request_WritesOneLine_WithStatusBytesUserAgentAndDuration()
    {
        await using var harness = await GatewayHarness.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/models");
        request.Headers.TryAddWithoutValidation("User-Agent", "access-test/1.0 (x)");

        using var response = await harness.Client.SendAsync(request);
        var body = await response.Content.ReadAsByteArrayAsync();

        var line = await LineAsync(harness, "/v1/models");
        var match = Regex.Match(line, "^\\[INFO\\] Request 127\\.0\\.0\\.1 \"GET /v1/models HTTP/1\\.1\" 200 (\\d+) \"access-test/1\\.0 \\(x\\)\" (\\d+(\\.\\d+)?(ns|µs|ms|s))$");
        Assert.True(match.Success, line);
        Assert.Equal(body.Length, int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task ErrorStatus_IsTheOneSent()
    {
        await using var harness = await GatewayHarness.StartAsync();

        using var response = await harness.Client.GetAsync("/no/such/path");

        Assert.Matches("\"GET /no/such/path HTTP/1\\.1\" 404 \\d+ \"\" ", await LineAsync(harness, "/no/such/path"));
    }

    [Fact]
    public async Task ForwardedFor_FromTheLoopbackAuthProxy_NamesTheClient()
    {
        await using var harness = await GatewayHarness.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/models?xff");
        request.Headers.TryAddWithoutValidation("X-Forwarded-For", "6.6.6.6, 198.51.100.9");

        using var response = await harness.Client.SendAsync(request);

        // The query is not part of the path llama-swap logs: find the line by the client instead.
        await Eventually.TrueAsync(() => ProxyLog(harness).Contains("Request 198.51.100.9 \"GET /v1/models HTTP/1.1\" 200", StringComparison.Ordinal), "the access line names the forwarded client");
    }

    [Fact]
    public async Task SkippedPaths_WriteNoLine()
    {
        await using var harness = await GatewayHarness.StartAsync();

        foreach (var path in new[] { "/metrics", "/wol-health", "/health", "/alive" })
        {
            using var skipped = await harness.Client.GetAsync(path);
        }

        // A logged request after them: once its line is there, theirs would be too.
        using var logged = await harness.Client.GetAsync("/v1/models");
        await LineAsync(harness, "/v1/models");
        Assert.DoesNotMatch("\"GET /(metrics|wol-health|health|alive) ", ProxyLog(harness));
    }

    [Fact]
    public async Task ConcurrentRequests_EachGetOneWholeLine()
    {
        await using var harness = await GatewayHarness.StartAsync();
        const int count = 200;

        await Task.WhenAll(Enumerable.Range(0, count).Select(async i =>
        {
            using var response = await harness.Client.GetAsync($"/v1/models/concurrent-{i}");
        }));

        await Eventually.TrueAsync(() => Lines(harness).Count(l => l.Contains(" /v1/models/concurrent-", StringComparison.Ordinal)) == count, $"{count} access lines");
        var lines = Lines(harness).Where(l => l.Contains(" /v1/models/concurrent-", StringComparison.Ordinal)).ToList();
        Assert.All(lines, l => Assert.Matches("^\\[INFO\\] Request 127\\.0\\.0\\.1 \"GET /v1/models/concurrent-\\d+ HTTP/1\\.1\" \\d{3} \\d+ \"\" \\S+$", l));
        Assert.Equal(count, lines.Distinct().Select(l => Regex.Match(l, "concurrent-\\d+").Value).Distinct().Count());
    }

    private static string[] Lines(GatewayHarness harness) => ProxyLog(harness).Split('\n');

    private static string ProxyLog(GatewayHarness harness)
        => Encoding.UTF8.GetString(harness.Gateway.Services.GetRequiredService<LogHub>().Proxy.GetHistory());

    /// <summary>The access line of <paramref name="path"/>, once written (after the response was sent).</summary>
    private static async Task<string> LineAsync(GatewayHarness harness, string path)
    {
        string? found = null;
        await Eventually.TrueAsync(
            () => (found = ProxyLog(harness).Split('\n').FirstOrDefault(l => l.Contains($" {path} HTTP/", StringComparison.Ordinal))) is not null,
            $"an access line for {path}");
        return found!;
    }
}
