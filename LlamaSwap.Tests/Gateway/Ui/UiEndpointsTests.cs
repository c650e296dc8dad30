using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using LlamaSwap.Gateway.Ui;
using LlamaSwap.Tests.Gateway.Support;

namespace LlamaSwap.Tests.Gateway.Ui;

/// <summary>The embedded web UI: redirects, the single-page fallback, content types and revalidation.</summary>
public sealed partial class UiEndpointsTests : IAsyncLifetime
{
    private GatewayHarness _harness = null!;

    private HttpClient Client => _harness.Client;

    public async Task InitializeAsync() => _harness = await GatewayHarness.StartAsync();

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Theory]
    [InlineData("/", "/ui/")]
    [InlineData("/ui", "/ui/")]
    [InlineData("/?x=1", "/ui/?x=1")]
    public async Task Root_And_UiWithoutSlash_RedirectToUi(string path, string location)
    {
        using var response = await Client.GetAsync(path);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(location, response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task UiRoot_ServesIndexHtml_WithCspAndETag()
    {
        using var response = await Client.GetAsync("/ui/");
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<script type=\"module\" src=\"/ui/app.js\">", body, StringComparison.Ordinal);
        Assert.Contains("default-src 'self'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.NotNull(response.Headers.ETag);
        Assert.True(response.Headers.CacheControl?.NoCache);
    }

    [Theory]
    [InlineData("/ui/app.js", "text/javascript")]
    [InlineData("/ui/views/models.js", "text/javascript")]
    [InlineData("/ui/app.css", "text/css")]
    [InlineData("/ui/favicon.svg", "image/svg+xml")]
    public async Task Assets_HaveTheirContentType(string path, string mediaType)
    {
        using var response = await Client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("utf-8", response.Content.Headers.ContentType?.CharSet);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
    }

    [Theory]
    [InlineData("/ui/models")]
    [InlineData("/ui/some/deep/link")]
    public async Task ExtensionlessUnknownPath_ServesIndexHtml(string path)
    {
        using var response = await Client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("/ui/missing.js")]
    [InlineData("/ui/views/missing.css")]
    public async Task MissingAsset_Is404(string path)
    {
        using var response = await Client.GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Head_HasTheHeadersOfGet_WithoutABody()
    {
        using var request = new HttpRequestMessage(HttpMethod.Head, "/ui/app.css");

        using var response = await Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/css", response.Content.Headers.ContentType?.MediaType);
        Assert.True(response.Content.Headers.ContentLength > 0);
        Assert.NotNull(response.Headers.ETag);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task MatchingIfNoneMatch_Is304()
    {
        using var first = await Client.GetAsync("/ui/app.js");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/ui/app.js");
        request.Headers.IfNoneMatch.Add(first.Headers.ETag!);

        using var second = await Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotModified, second.StatusCode);
        Assert.Empty(await second.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task StaleIfNoneMatch_ServesTheFile()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/ui/app.js");
        request.Headers.IfNoneMatch.Add(new EntityTagHeaderValue("\"stale\""));

        using var response = await Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotEmpty(await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public void EveryModuleImport_NamesAnEmbeddedFile()
    {
        // A typo in an import would only show as a blank page in a browser: catch it here.
        var assets = UiAssets.Load(typeof(UiAssets).Assembly);
        var modules = assets.Paths.Where(p => p.EndsWith(".js", StringComparison.Ordinal)).ToList();
        Assert.Contains("app.js", modules);

        foreach (var module in modules)
        {
            var text = System.Text.Encoding.UTF8.GetString(assets.Find(module)!.Content);
            var directory = Path.GetDirectoryName(module)!;
            foreach (Match import in ImportPattern().Matches(text))
            {
                var target = Path.GetRelativePath(".", Path.Combine(directory, import.Groups[1].Value)).Replace('\\', '/');
                Assert.True(assets.Find(target) is not null, $"{module} imports {import.Groups[1].Value}, which is not embedded ({target})");
            }
        }
    }

    [GeneratedRegex("""from '(\.{1,2}/[^']+)'""")]
    private static partial Regex ImportPattern();
}
