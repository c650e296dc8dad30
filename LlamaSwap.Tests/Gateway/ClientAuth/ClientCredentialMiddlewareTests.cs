using LlamaSwap.Core.Configuration;
using LlamaSwap.Core.Security;
using LlamaSwap.Gateway.ClientAuth;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;

namespace LlamaSwap.Tests.Gateway.ClientAuth;

public sealed class ClientCredentialMiddlewareTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task EveryCredentialHeader_IsRemovedBeforeTheRoutes(bool withClaim)
    {
        var context = Context(withClaim);

        var seen = await InvokeAsync(context);

        Assert.DoesNotContain(seen.Keys, name => name is "Authorization" or "x-api-key" or ClientAuthForwarding.AuthorizationHeader or ClientAuthForwarding.ApiKeyHeader);
    }

    [Fact]
    public async Task WithAKeyClaim_TheCredentialIsTheOneTheAuthProxyHandedOn()
    {
        var context = Context(withClaim: true);

        await InvokeAsync(context);

        var credential = context.Features.Get<ClientCredential>()!;
        Assert.Equal("Bearer handed-on", credential.Authorization.ToString());
        Assert.Equal("handed-on", credential.ApiKey.ToString());
    }

    [Fact]
    public async Task WithoutAKeyClaim_TheCredentialIsTheRequestsOwn()
    {
        var context = Context(withClaim: false);

        await InvokeAsync(context);

        var credential = context.Features.Get<ClientCredential>()!;
        Assert.Equal("Bearer own", credential.Authorization.ToString());
        Assert.Equal("own", credential.ApiKey.ToString());
    }

    [Fact]
    public async Task NoCredential_SetsNoFeature()
    {
        var context = new DefaultHttpContext();

        await InvokeAsync(context);

        Assert.Null(context.Features.Get<ClientCredential>());
    }

    private static DefaultHttpContext Context(bool withClaim)
    {
        var context = new DefaultHttpContext();
        var headers = context.Request.Headers;
        headers.Authorization = "Bearer own";
        headers["x-api-key"] = "own";
        headers[ClientAuthForwarding.AuthorizationHeader] = "Bearer handed-on";
        headers[ClientAuthForwarding.ApiKeyHeader] = "handed-on";
        if (withClaim)
        {
            context.Features.Set(new KeyClaim("k", ["*"]));
        }

        return context;
    }

    /// <summary>Runs the middleware; returns the headers the next step saw.</summary>
    private static async Task<Dictionary<string, string>> InvokeAsync(HttpContext context)
    {
        Dictionary<string, string> seen = [];
        var middleware = new ClientCredentialMiddleware(
            next => { seen = next.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString()); return Task.CompletedTask; },
            NullLogger<ClientCredentialMiddleware>.Instance);
        await middleware.InvokeAsync(context);
        return seen;
    }
}
