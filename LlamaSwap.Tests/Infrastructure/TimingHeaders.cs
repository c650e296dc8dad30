using System.Globalization;

namespace LlamaSwap.Tests.Infrastructure;

/// <summary>The four timing headers of a proxied response, which together account for the client's wait before the upstream's first byte.</summary>
internal sealed record TimingHeaders(double Queue, double Load, double Proxy, double Upstream)
{
    public double Sum => Queue + Load + Proxy + Upstream;

    public static TimingHeaders Read(HttpResponseMessage response)
        => new(Header(response, "X-LlamaSwap-Queue-Wait-Ms"), Header(response, "X-LlamaSwap-Load-Ms"),
            Header(response, "X-LlamaSwap-Proxy-Ms"), Header(response, "X-LlamaSwap-Upstream-Ms"));

    /// <summary>For assertion messages: the headers against what the client waited.</summary>
    public string Against(double waitedMs)
        => $"client waited {waitedMs:0.0} ms; queue {Queue} + load {Load} + proxy {Proxy} + upstream {Upstream} = {Sum:0.0} ms";

    private static double Header(HttpResponseMessage response, string name)
    {
        Assert.True(response.Headers.TryGetValues(name, out var values), $"no {name} header");
        return double.Parse(values.Single(), CultureInfo.InvariantCulture);
    }
}
