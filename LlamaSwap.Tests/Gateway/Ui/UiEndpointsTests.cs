using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using LlamaSwap.Core.Configuration;
using LlamaSwap.Gateway.Ui;
using LlamaSwap.Tests.Gateway.Support;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace LlamaSwap.Tests.Gateway.Ui;

/// <summary>The embedded web UI: redirects, the single-page fallback, content types and revalidation.</summary>
public sealed partial class UiEndpointsTests : IAsyncLifetime
{
    private static readonly byte[] PngSignature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

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

    [Fact]
    public async Task FaviconIco_IsARealIconFile_OfPngImages()
    {
        using var response = await Client.GetAsync("/favicon.ico");
        var bytes = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/x-icon", response.Content.Headers.ContentType?.MediaType);
        Assert.NotNull(response.Headers.ETag);

        // ICONDIR: reserved 0, type 1 (icon), then one 16-byte entry per image; each image here a PNG.
        Assert.Equal([0, 0, 1, 0], bytes[..4]);
        var count = BitConverter.ToUInt16(bytes, 4);
        Assert.InRange(count, 1, 8);
        var sizes = new List<int>();
        for (var i = 0; i < count; i++)
        {
            var entry = bytes.AsSpan(6 + (16 * i), 16);
            var length = BitConverter.ToInt32(entry[8..12]);
            var offset = BitConverter.ToInt32(entry[12..16]);
            Assert.True(offset + length <= bytes.Length, $"image {i} runs past the end of the file");
            Assert.Equal(PngSignature, bytes[offset..(offset + 8)]);
            sizes.Add(entry[0] == 0 ? 256 : entry[0]);
        }

        Assert.Contains(16, sizes);
        Assert.Contains(32, sizes);
    }

    [Fact]
    public async Task FaviconSvg_IsTheUisSvgIcon()
    {
        using var response = await Client.GetAsync("/favicon.svg");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/svg+xml", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(await Client.GetStringAsync("/ui/favicon.svg"), await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("/favicon.ico")]
    [InlineData("/favicon.svg")]
    public void Favicons_ArePublicCatalogueRoutes(string path)
    {
        // Public as in llama-swap, so a browser gets the icon before (or without) the key prompt. The
        // catalogue type is compiled into the auth proxy too: it is read from the endpoint's metadata.
        var endpoint = _harness.Gateway.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>().Single(e => e.RoutePattern.RawText == path);
        var entry = endpoint.Metadata.Single(m => m.GetType().Name == "GatewayRoute");

        Assert.Equal(ApiKeyScopes.None, entry.GetType().GetProperty("Scope")!.GetValue(entry));
    }

    [Fact]
    public async Task UiPage_LinksBothIcons()
    {
        var html = await Client.GetStringAsync("/ui/");

        Assert.Contains("<link rel=\"icon\" href=\"/favicon.ico\"", html, StringComparison.Ordinal);
        Assert.Contains("<link rel=\"icon\" href=\"/favicon.svg\" type=\"image/svg+xml\">", html, StringComparison.Ordinal);
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
