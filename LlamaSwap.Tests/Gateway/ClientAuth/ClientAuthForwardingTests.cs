using System.Net;
using System.Text;
using LlamaSwap.Core.Configuration;
using LlamaSwap.Tests.Gateway.Support;

namespace LlamaSwap.Tests.Gateway.ClientAuth;

/// <summary>
/// <c>forwardClientAuth</c> through the real auth proxy and gateway: off by default (the upstream sees
/// no credential), on globally or per model (the upstream sees the client's headers unchanged), peers
/// with an <c>apiKey</c> always get their own, and the gateway used directly follows the same option.
/// </summary>
public sealed class ClientAuthForwardingTests
{
    private const string Key = ClientAuthStack.FrontKey;

    private static readonly string Basic = Convert.ToBase64String(Encoding.UTF8.GetBytes("anyone:" + Key));

    public static TheoryData<string, string, string> CredentialForms => new()
    {
        // how the client sends the key, then what the upstream must see in Authorization and x-api-key
        { "bearer", $"Bearer {Key}", "" },
        { "basic", $"Basic {Basic}", "" },
        { "x-api-key", "", Key },
        { "both", $"Bearer {Key}", Key },
    };

    [Theory]
    [InlineData("bearer")]
    [InlineData("basic")]
    [InlineData("x-api-key")]
    [InlineData("both")]
    public async Task Off_ByDefault_TheUpstreamSeesNoCredential(string form)
    {
        await using var stack = await ClientAuthStack.StartAsync(forwardGlobally: false);

        using var response = await stack.Client.SendAsync(ClientAuthStack.Request("plain", h => Present(h, form)));

        Assert.Equal(("", ""), await ClientAuthStack.SeenByUpstreamAsync(response));
    }

    [Theory]
    [MemberData(nameof(CredentialForms))]
    public async Task OnGlobally_TheUpstreamSeesTheClientsHeadersUnchanged(string form, string authorization, string apiKey)
    {
        await using var stack = await ClientAuthStack.StartAsync(forwardGlobally: true);

        using var response = await stack.Client.SendAsync(ClientAuthStack.Request("plain", h => Present(h, form)));

        Assert.Equal((authorization, apiKey), await ClientAuthStack.SeenByUpstreamAsync(response));
    }

    [Theory]
    [InlineData(false, "wants", true)]
    [InlineData(false, "plain", false)]
    [InlineData(true, "refuses", false)]
    [InlineData(true, "plain", true)]
    [InlineData(false, "/upstream/wants/props", true)]
    [InlineData(true, "/upstream/refuses/props", false)]
    public async Task PerModel_OverridesTheGlobalSetting(bool global, string modelOrPath, bool forwarded)
    {
        await using var stack = await ClientAuthStack.StartAsync(global);

        using var response = await stack.Client.SendAsync(ClientAuthStack.Request(modelOrPath, h => Present(h, "both")));

        Assert.Equal(forwarded ? ($"Bearer {Key}", Key) : ("", ""), await ClientAuthStack.SeenByUpstreamAsync(response));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task PeerWithApiKey_AlwaysGetsItsOwnKey(bool global)
    {
        await using var stack = await ClientAuthStack.StartAsync(global);

        using var response = await stack.Client.SendAsync(ClientAuthStack.Request("keyed/k", h => Present(h, "both")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var seen = Assert.Single(stack.Peer.Requests);
        Assert.Equal([$"Bearer {ClientAuthStack.PeerKey}"], seen.Authorization);
        Assert.Equal([ClientAuthStack.PeerKey], seen.ApiKey);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task PeerWithoutApiKey_FollowsTheGlobalSetting(bool global)
    {
        await using var stack = await ClientAuthStack.StartAsync(global);

        using var response = await stack.Client.SendAsync(ClientAuthStack.Request("open/o", h => Present(h, "both")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var seen = Assert.Single(stack.Peer.Requests);
        Assert.Equal(global ? [$"Bearer {Key}"] : [], seen.Authorization);
        Assert.Equal(global ? [Key] : [], seen.ApiKey);
    }

    [Fact]
    public async Task AClientCannotChooseTheForwardedCredential_ThroughTheInternalHeaders()
    {
        await using var stack = await ClientAuthStack.StartAsync(forwardGlobally: true);

        using var response = await stack.Client.SendAsync(ClientAuthStack.Request("plain", h =>
        {
            Present(h, "bearer");
            h.Add(ClientAuthForwarding.AuthorizationHeader, "Bearer sk-smuggled");
            h.Add(ClientAuthForwarding.ApiKeyHeader, "sk-smuggled");
        }));

        Assert.Equal(($"Bearer {Key}", ""), await ClientAuthStack.SeenByUpstreamAsync(response));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task GatewayUsedDirectly_FollowsTheOption(bool global)
    {
        await using var stack = await ClientAuthStack.StartAsync(global);

        using var response = await stack.Gateway.Client.SendAsync(ClientAuthStack.Request("plain", h => Present(h, "both")));

        Assert.Equal(global ? ($"Bearer {Key}", Key) : ("", ""), await ClientAuthStack.SeenByUpstreamAsync(response));
    }

    [Fact]
    public async Task GatewayUsedDirectly_InternalHeadersWithoutAKeyClaim_AreIgnored()
    {
        await using var stack = await ClientAuthStack.StartAsync(forwardGlobally: true);

        using var response = await stack.Gateway.Client.SendAsync(ClientAuthStack.Request("plain", h =>
        {
            h.Add(ClientAuthForwarding.AuthorizationHeader, "Bearer sk-unvouched");
            h.Add(ClientAuthForwarding.ApiKeyHeader, "sk-unvouched");
        }));

        Assert.Equal(("", ""), await ClientAuthStack.SeenByUpstreamAsync(response));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AuthOff_TheClientsHeadersFollowTheOption(bool global)
    {
        await using var stack = await ClientAuthStack.StartAsync(global, authOn: false);

        using var response = await stack.Client.SendAsync(ClientAuthStack.Request("plain", h => Present(h, "both")));

        Assert.Equal(global ? ($"Bearer {Key}", Key) : ("", ""), await ClientAuthStack.SeenByUpstreamAsync(response));
    }

    [Fact]
    public async Task ProxyWithoutTheClaimSecret_ForwardsNothing()
    {
        // Nothing vouches for a credential without a claim: documented, and logged once by the gateway.
        await using var stack = await ClientAuthStack.StartAsync(forwardGlobally: true, proxySigns: false);

        using var response = await stack.Client.SendAsync(ClientAuthStack.Request("plain", h => Present(h, "both")));

        Assert.Equal(("", ""), await ClientAuthStack.SeenByUpstreamAsync(response));
    }

    private static void Present(System.Net.Http.Headers.HttpRequestHeaders headers, string form)
    {
        switch (form)
        {
            case "bearer":
                headers.Authorization = new("Bearer", Key);
                break;
            case "basic":
                headers.Authorization = new("Basic", Basic);
                break;
            case "x-api-key":
                headers.Add("x-api-key", Key);
                break;
            default:
                headers.Authorization = new("Bearer", Key);
                headers.Add("x-api-key", Key);
                break;
        }
    }
}
