using LlamaSwap.Core.Configuration;
using LlamaSwap.Core.Contracts;
using LlamaSwap.Tests.Gateway.Support;
using Microsoft.AspNetCore.Http;

namespace LlamaSwap.Tests.Gateway.Upstream;

/// <summary>Configs and supervisor behaviour shared by the <c>/upstream</c> tests.</summary>
internal static class UpstreamTestConfig
{
    /// <summary>One model, <c>m</c>, whose upstream is the harness's fake upstream.</summary>
    public static Func<string, LlamaSwapConfig> OneModel(Func<ModelConfig, ModelConfig>? edit = null)
        => url => new LlamaSwapConfig
        {
            Models = new Dictionary<string, ModelConfig> { ["m"] = (edit ?? (m => m))(GatewayHarness.Model("m", url)) },
        };

    public static ModelStateRecord State(string state, string proxy) => new()
    {
        Model = "m",
        State = state,
        Proxy = proxy,
        Cmd = "llama-server --model m",
    };

    /// <summary>Grants every lease on <paramref name="upstream"/> instead of the fake upstream.</summary>
    public static void LeaseOn(FakeSupervisor supervisor, Uri upstream)
    {
        var counter = 0;
        supervisor.OnAcquire = (_, _) => Task.FromResult<Microsoft.AspNetCore.Http.IResult?>(
            Results.Json(new AcquireResponse($"ws-lease-{Interlocked.Increment(ref counter)}", upstream.ToString().TrimEnd('/'), 0, 0)));
    }
}
