using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using LlamaSwap.AuthProxy.Keys;
using LlamaSwap.Tests.Gateway.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace LlamaSwap.Tests.AuthProxy.Hardening;

/// <summary>The auth proxy's limits and refusals on a real socket, in front of a fake gateway that records what reaches it.</summary>
public sealed class HardeningIntegrationTests : IAsyncLifetime
{
    private const string Key = "sk-hardening-test";
    private const int BodyLimit = 4096;

    private readonly ConcurrentQueue<string> _seen = new();
    private WebApplication _gateway = null!;
    private WebApplication _proxy = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        (_gateway, var gatewayUrl) = await LoopbackServer.StartAsync(app => app.Map("/{**path}", (RequestDelegate)(async context =>
        {
            using var reader = new StreamReader(context.Request.Body);
            await reader.ReadToEndAsync();
            _seen.Enqueue($"{context.Request.Method} {context.Request.Path}");
            await context.Response.WriteAsync("gateway");
        })));
        _proxy = LlamaSwap.AuthProxy.Program.BuildApp(
            [
                "--urls", "http://127.0.0.1:0", $"--services:gateway:http:0={gatewayUrl}", "--Logging:LogLevel:Default=Warning",
                $"--AuthProxy:Limits:MaxRequestBodySize={BodyLimit}", "--AuthProxy:Limits:MaxRequestHeaderCount=12",
            ],
            services => services.AddSingleton(new ApiKeySet([Key])));
        await _proxy.StartAsync();
        _client = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = new Uri(LoopbackServer.BoundUrl(_proxy)) };
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _proxy.DisposeAsync();
        await _gateway.DisposeAsync();
    }

    private static async Task<string> ErrorMessageAsync(HttpResponseMessage response)
    {
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.GetProperty("error").GetProperty("message").GetString()!;
    }

    [Fact]
    public async Task OptionsWithBody_IsAnsweredByTheProxy_NotForwarded()
    {
        using var request = new HttpRequestMessage(HttpMethod.Options, "/v1/chat/completions") { Content = new StringContent("{\"model\":\"m\"}") };
        request.Headers.Add("Access-Control-Request-Headers", "authorization, content-type;<x>");

        using var response = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal("*", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Equal("authorization, content-typex", response.Headers.GetValues("Access-Control-Allow-Headers").Single());
        Assert.Empty(_seen);
    }

    [Fact]
    public async Task DeclaredBodyOverTheLimit_Is413Envelope_EvenWithAKey()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = new ByteArrayContent(new byte[BodyLimit + 1]) };
        request.Headers.Authorization = new("Bearer", Key);

        using var response = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("larger than 4096 bytes", await ErrorMessageAsync(response));
        Assert.Empty(_seen);
    }

    [Fact]
    public async Task ChunkedBodyOverTheLimit_Is413Envelope()
    {
        var content = new StreamContent(new MemoryStream(new byte[BodyLimit * 4]));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = content };
        request.Headers.TransferEncodingChunked = true;
        request.Headers.Authorization = new("Bearer", Key);

        using var response = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("request body too large", await ErrorMessageAsync(response));
    }

    [Fact]
    public async Task BodyWithinTheLimit_IsForwarded()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = new ByteArrayContent(new byte[BodyLimit]) };
        request.Headers.Authorization = new("Bearer", Key);

        using var response = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("POST /v1/chat/completions", Assert.Single(_seen));
    }

    [Fact]
    public async Task TooManyHeaders_Is431_FromKestrel()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/models");
        request.Headers.Authorization = new("Bearer", Key);
        for (var i = 0; i < 12; i++)
        {
            request.Headers.Add($"x-filler-{i}", "v");
        }

        using var response = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestHeaderFieldsTooLarge, response.StatusCode);
        Assert.Empty(_seen);
    }

    [Fact]
    public async Task ConflictingKeys_Are400Envelope_EvenWhenOneIsValid()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/models");
        request.Headers.Authorization = new("Bearer", Key);
        request.Headers.Add("x-api-key", "sk-other");

        using var response = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("Authorization and x-api-key carry different keys", await ErrorMessageAsync(response));
        Assert.Empty(_seen);
    }

    [Fact]
    public async Task MalformedBasic_Is401WithChallenge_EvenWithAValidApiKeyHeader()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/models");
        request.Headers.TryAddWithoutValidation("Authorization", "Basic !!!");
        request.Headers.Add("x-api-key", Key);

        using var response = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Basic realm=\"llama-swap\"", response.Headers.WwwAuthenticate.ToString());
        Assert.Empty(_seen);
    }

    [Fact]
    public async Task Trace_Is405_EvenWithAKey()
    {
        using var request = new HttpRequestMessage(HttpMethod.Trace, "/v1/models");
        request.Headers.Authorization = new("Bearer", Key);

        using var response = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Empty(_seen);
    }

    [Fact]
    public async Task EncodedSlash_Is400Envelope_EvenWithAKey()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/health%2F..%2Fv1%2Fmodels", UriKind.Relative));
        request.Headers.Authorization = new("Bearer", Key);

        using var response = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.StartsWith("encoded '%2f'", await ErrorMessageAsync(response));
        Assert.Empty(_seen);
    }
}
