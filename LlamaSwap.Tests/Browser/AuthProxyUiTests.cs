using System.Net;
using static Microsoft.Playwright.Assertions;

namespace LlamaSwap.Tests.Browser;

/// <summary>The UI behind the auth proxy: the browser answers the Basic challenge with the API key as the password.</summary>
[Collection(BrowserCollection.Name)]
public sealed class AuthProxyUiTests(BrowserFixture fixture)
{
    [Fact]
    public async Task WithoutKey_UiIsChallengedWithBasic()
    {
        using var client = new HttpClient();

        using var response = await client.GetAsync(fixture.Stack.FrontDoor + "/ui/");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Basic", response.Headers.WwwAuthenticate.Single().Scheme);
    }

    [Fact]
    public async Task WithKeyAsBasicPassword_RootRedirectsToTheUi_AndEverythingLoads()
    {
        await using var session = await fixture.OpenAsync(throughAuthProxy: true);
        var page = session.Page;

        var response = await page.GotoAsync("/");

        Assert.Equal(200, response?.Status);
        Assert.Equal("/ui/", new Uri(page.Url).AbsolutePath);
        await Expect(session.ByTestId("model-row-alpha")).ToContainTextAsync("Alpha");
        await Expect(session.ByTestId("model-row-beta")).ToContainTextAsync("Beta");
        // The event stream is a separate request: it must carry the credentials too.
        await Expect(session.ByTestId("events-status")).ToHaveAttributeAsync("data-state", "live");
        session.AssertNoScriptErrors();
    }
}
