using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using LlamaSwap.Core.Configuration;
using LlamaSwap.Core.Contracts;
using LlamaSwap.Tests.Gateway.Support;
using LlamaSwap.Tests.Gateway.Upstream;
using LlamaSwap.Tests.TestUpstream;

namespace LlamaSwap.Tests.Gateway.Comfy;

/// <summary><c>/comfyui</c> (llama-swap's <c>comfyui_auto</c>): the real gateway, fake supervisor and upstream.</summary>
public sealed class ComfyUiTests
{
    private const string Comfy = ModelConfig.ComfyUiModelId;

    private static Func<string, LlamaSwapConfig> WithComfy(Func<LlamaSwapConfig, LlamaSwapConfig>? edit = null)
        => url => (edit ?? (c => c))(new LlamaSwapConfig
        {
            Models = new Dictionary<string, ModelConfig>
            {
                [Comfy] = GatewayHarness.Model(Comfy, url) with { IgnoreWebsockets = true, ConcurrencyLimit = 50 },
                ["other"] = GatewayHarness.Model("other", url),
            },
        });

    private static ModelStateRecord State(string state, string proxy) => UpstreamTestConfig.State(state, proxy) with { Model = Comfy };

    private static async Task<string> ErrorMessageAsync(HttpResponseMessage response)
    {
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.GetProperty("error").GetProperty("message").GetString()!;
    }

    [Theory]
    [InlineData("/comfyui/")]
    [InlineData("/comfyui/api/prompt")]
    public async Task WithoutAComfyUiAutoModel_Is404(string path)
    {
        // A model of another ID (or an alias, or a peer's) does not count: llama-swap looks it up by ID.
        await using var harness = await GatewayHarness.StartAsync(url => new LlamaSwapConfig
        {
            Models = new Dictionary<string, ModelConfig> { ["comfy"] = GatewayHarness.Model("comfy", url) with { Aliases = [Comfy] } },
            Aliases = new Dictionary<string, string> { [Comfy] = "comfy" },
        });

        using var response = await harness.Client.GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("local model comfyui_auto not found", await ErrorMessageAsync(response));
        Assert.Empty(harness.Supervisor.Acquires);
    }

    [Theory]
    [InlineData("GET", HttpStatusCode.MovedPermanently)]
    [InlineData("HEAD", HttpStatusCode.MovedPermanently)]
    [InlineData("POST", HttpStatusCode.PermanentRedirect)]
    public async Task BareComfyUi_RedirectsToTheRoot_KeepingTheQuery(string method, HttpStatusCode expected)
    {
        await using var harness = await GatewayHarness.StartAsync(WithComfy());

        using var response = await harness.Client.SendAsync(new HttpRequestMessage(new HttpMethod(method), "/comfyui?token=value"));

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("/comfyui/?token=value", response.Headers.Location?.OriginalString);
        Assert.Empty(harness.Supervisor.Acquires);
    }

    [Fact]
    public async Task BareComfyUi_RedirectsEvenWithoutTheModel_AsLlamaSwapDoes()
    {
        await using var harness = await GatewayHarness.StartAsync(UpstreamTestConfig.OneModel());

        using var response = await harness.Client.GetAsync("/comfyui");

        Assert.Equal(HttpStatusCode.MovedPermanently, response.StatusCode);
        Assert.Equal("/comfyui/", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task Root_StartsTheModel_AndIsForwardedWithThePrefixStripped()
    {
        await using var harness = await GatewayHarness.StartAsync(WithComfy());
        harness.Supervisor.States.Add(State(ModelStates.Stopped, harness.Upstream.Url));

        using var response = await harness.Client.GetAsync("/comfyui/?token=value");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var echo = FakeUpstream.ParseEcho(await response.Content.ReadAsStringAsync());
        Assert.Equal("/", echo.GetProperty("path").GetString());
        Assert.Equal("?token=value", echo.GetProperty("query").GetString());
        Assert.Equal(Comfy, Assert.Single(harness.Supervisor.Acquires).Model);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(ModelStates.Stopped)]
    [InlineData(ModelStates.Starting)]
    public async Task SubPath_WhileNotReady_Is409_AndStartsNothing(string? state)
    {
        await using var harness = await GatewayHarness.StartAsync(WithComfy());
        if (state is not null)
        {
            harness.Supervisor.States.Add(State(state, harness.Upstream.Url));
        }

        using var response = await harness.Client.PostAsync("/comfyui/api/prompt", new StringContent("{}", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("model comfyui_auto is not loaded; only /comfyui/ can start it", await ErrorMessageAsync(response));
        Assert.Empty(harness.Supervisor.Acquires);
    }

    [Fact]
    public async Task SubPath_WhenReady_IsForwardedUnderALease_EncodingKept()
    {
        await using var harness = await GatewayHarness.StartAsync(WithComfy());
        harness.Supervisor.States.Add(State(ModelStates.Ready, harness.Upstream.Url));

        using var response = await harness.Client.GetAsync("/comfyui/api/userdata/workflows%2Fexample.json?preview=1");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var echo = FakeUpstream.ParseEcho(await response.Content.ReadAsStringAsync());
        Assert.Equal("/api/userdata/workflows%2Fexample.json?preview=1", echo.GetProperty("rawTarget").GetString());
        Assert.Equal(Comfy, Assert.Single(harness.Supervisor.Acquires).Model);
        await LoopbackServer.WaitUntilAsync(() => !harness.Supervisor.Releases.IsEmpty, because: "the lease is released after the answer");
    }

    [Fact]
    public async Task UpstreamIgnorePaths_DoNotApplyToComfyUi()
    {
        await using var harness = await GatewayHarness.StartAsync(WithComfy(c => c with { UpstreamIgnorePaths = [new Regex("^/$")] }));
        harness.Supervisor.States.Add(State(ModelStates.Stopped, harness.Upstream.Url));

        using var response = await harness.Client.GetAsync("/comfyui/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Comfy, Assert.Single(harness.Supervisor.Acquires).Model);
    }

    [Fact]
    public async Task Websocket_WhenReady_GoesThroughWithoutALease()
    {
        await using var upstream = await RunningTestUpstream.StartAsync();
        await using var harness = await GatewayHarness.StartAsync(WithComfy());
        harness.Supervisor.States.Add(State(ModelStates.Ready, upstream.BaseAddress.ToString().TrimEnd('/')));

        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(new Uri(harness.Url.Replace("http://", "ws://", StringComparison.Ordinal) + "/comfyui/ws"), CancellationToken.None);
        await socket.SendAsync(Encoding.UTF8.GetBytes("hello"), WebSocketMessageType.Text, true, CancellationToken.None);
        var buffer = new byte[64];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var received = await socket.ReceiveAsync(buffer, timeout.Token);

        Assert.Equal("hello", Encoding.UTF8.GetString(buffer, 0, received.Count));
        Assert.Empty(harness.Supervisor.Acquires);
    }
}
