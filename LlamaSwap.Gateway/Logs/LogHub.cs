using System.Collections.Concurrent;
using System.Text;
using LlamaSwap.Core.Configuration;
using LlamaSwap.Core.Logs;

namespace LlamaSwap.Gateway.Logs;

/// <summary>
/// The gateway's log monitors (llama-swap reference 2.9): <see cref="Proxy"/> (the gateway's own
/// lines), <see cref="Upstream"/> (every upstream's output, relayed from the supervisor), one per
/// model (keyed by real model ID, created on demand) and <see cref="Combined"/>, which is what
/// <c>/logs</c> shows and follows <c>logToStdout</c>. Singleton; it has no dependencies so the
/// logging system can write to it before anything else is built.
/// </summary>
internal sealed class LogHub
{
    private readonly ConcurrentDictionary<string, LogMonitor> _models = new(StringComparer.Ordinal);
    private volatile ProxyLogSettings _settings = ProxyLogSettings.Default;
    private volatile bool _routingApplied;
    private LogRouting _routing = LogRouting.Proxy;

    public LogMonitor Proxy { get; } = new();

    public LogMonitor Upstream { get; } = new();

    public LogMonitor Combined { get; } = new();

    public ProxyLogSettings Settings => _settings;

    /// <summary><c>logToStdout</c>; <c>proxy</c> until the config is applied.</summary>
    public LogRouting Routing => _routing;

    /// <summary>The monitor of a real model ID (created on first use).</summary>
    public LogMonitor ForModel(string modelId) => _models.GetOrAdd(modelId, static _ => new LogMonitor());

    /// <summary>
    /// Takes <c>logLevel</c> and <c>logTimeFormat</c> from <paramref name="config"/>; <c>logToStdout</c>
    /// only the first time, as llama-swap applies it at start-up only.
    /// </summary>
    public void Apply(LlamaSwapConfig config)
    {
        _settings = ProxyLogSettings.From(config);
        if (!_routingApplied)
        {
            _routing = LogRoutingExtensions.Parse(config.LogToStdout);
            _routingApplied = true;
        }
    }

    /// <summary>Writes one of the gateway's own (already formatted) lines.</summary>
    public void WriteProxy(string line)
    {
        Proxy.Write(line);
        if (_routing.IncludesProxy())
        {
            Combined.Write(line);
        }
    }

    /// <summary>Writes upstream output of <paramref name="modelId"/> (a real model ID).</summary>
    public void WriteUpstream(string modelId, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        ForModel(modelId).Write(bytes);
        WriteUpstreamOnly(bytes);
    }

    /// <summary>Writes output to the upstream (and combined) monitors only: the supervisor's interleaved history.</summary>
    public void WriteUpstreamOnly(ReadOnlySpan<byte> utf8)
    {
        Upstream.Write(utf8);
        if (_routing.IncludesUpstream())
        {
            Combined.Write(utf8);
        }
    }
}
