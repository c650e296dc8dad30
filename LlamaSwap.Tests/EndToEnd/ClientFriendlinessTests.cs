using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace LlamaSwap.Tests.EndToEnd;

/// <summary>
/// What a person trying the front door by hand meets: a <c>curl -d</c> JSON body, a mistyped model,
/// the browser's favicon request and a JSON client unloading, through auth proxy, gateway,
/// supervisor and a real test upstream.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class ClientFriendlinessTests(SharedStackFixture fixture)
{
    private LlamaSwapStack Stack => fixture.Stack;

    [Fact]
    public async Task CurlDashD_JsonWithAFormType_IsServed_AndTheUpstreamSeesJson()
    {
        // Exactly what curl -d sends: the JSON body labelled as a url-encoded form.
        var marker = "curl-" + Guid.NewGuid().ToString("N");
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes($$"""{"model":"chat-a","messages":[{"role":"user","content":"{{marker}}"}]}"""));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded");

        using var response = await Stack.Client.PostAsync(Stack.FrontDoor + "/v1/chat/completions", content);

        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {body}");
        Assert.Contains("hello from a", body, StringComparison.Ordinal);
        var received = Stack.RequestsReceivedBy("chat-a").Last(r => r.GetProperty("body").GetString()!.Contains(marker, StringComparison.Ordinal));
        Assert.Equal("application/json", received.GetProperty("headers").GetProperty("Content-Type").GetString());
    }

    [Fact]
    public async Task MistypedModel_404_NamesItAndSuggestsTheClosest()
    {
        using var content = new StringContent("""{"model":"chat-z","messages":[]}""", Encoding.UTF8, "application/json");

        using var response = await Stack.Client.PostAsync(Stack.FrontDoor + "/v1/chat/completions", content);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(
            "no router for requested model \"chat-z\": GET /v1/models lists the available models (did you mean \"chat-a\"?)",
            document.RootElement.GetProperty("error").GetProperty("message").GetString());
    }

    [Theory]
    [InlineData("/favicon.ico", "image/x-icon")]
    [InlineData("/favicon.svg", "image/svg+xml")]
    public async Task Favicon_IsServed_WithoutAKey(string path, string mediaType)
    {
        using var anonymous = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };

        using var response = await anonymous.GetAsync(Stack.FrontDoor + path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
        Assert.NotEmpty(await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task JsonClient_UnloadingOneModel_GetsMsgOk()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Stack.FrontDoor + "/api/models/unload/gpt-a");
        request.Headers.TryAddWithoutValidation("Accept", "application/json, text/plain, */*");

        using var response = await Stack.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("ok", document.RootElement.GetProperty("msg").GetString());
    }
}
