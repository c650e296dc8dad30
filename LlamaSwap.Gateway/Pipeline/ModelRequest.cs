using LlamaSwap.Core.Configuration;
using LlamaSwap.Gateway.Inflight;
using LlamaSwap.Gateway.Loading;

namespace LlamaSwap.Gateway.Pipeline;

/// <summary>
/// The per-request feature of the model pipeline (docs/design.md, "The model pipeline"): what the
/// stages have learnt about one model request so far. Each stage reads what earlier ones set and
/// adds its own part; nothing re-reads the body or re-resolves a name.
/// </summary>
internal sealed class ModelRequest(LlamaSwapConfig config, bool isUpstreamPath, InflightRequest? inflight)
{
    /// <summary>The config snapshot the whole request is judged and routed by (a reload mid-request does not split it).</summary>
    public LlamaSwapConfig Config { get; } = config;

    /// <summary><c>/upstream/&lt;model&gt;/...</c>: the body is never inspected and the path names the model.</summary>
    public bool IsUpstreamPath { get; } = isUpstreamPath;

    public InflightRequest? Inflight { get; } = inflight;

    /// <summary>The buffered body (model routes' POSTs) after every rewrite so far; null when the body streams.</summary>
    public ReadOnlyMemory<byte>? Body { get; set; }

    /// <summary>
    /// The <c>Content-Type</c> <see cref="Body"/> is read and forwarded as (null without a buffered body): the
    /// client's, <c>application/json</c> for a JSON object the client declared as a form or text, or a
    /// rebuilt multipart form's. Later stages judge the body by this, never by the request's header.
    /// </summary>
    public string? ContentType { get; set; }

    /// <summary>The model name as the client wrote it.</summary>
    public string Requested { get; set; } = "";

    /// <summary>The name after the profile pin and the selector: what the forwarded request names.</summary>
    public string Name { get; set; } = "";

    /// <summary>The local model the request goes to; null for a peer model.</summary>
    public string? ModelId { get; set; }

    /// <summary>The peer model the request goes to; null for a local model.</summary>
    public PeerModel? Peer { get; set; }

    /// <summary>The final target, as the key's model policy judges it: a model ID or a peer model's FQN.</summary>
    public string Target => ModelId ?? Peer?.Fqn ?? Name;

    /// <summary><c>/comfyui/...</c>: an <c>/upstream</c>-style request for the fixed model <c>comfyui_auto</c>.</summary>
    public bool IsComfyUi { get; set; }

    /// <summary><c>/upstream</c> only: the path after the model, still percent-encoded.</summary>
    public string UpstreamRemainder { get; set; } = "";

    /// <summary><c>/upstream</c> only: the raw <c>/upstream/&lt;model&gt;</c> prefix.</summary>
    public string UpstreamModelPath { get; set; } = "";

    /// <summary>A spillover selector's count of this request on its target, ended when the request ends.</summary>
    public IDisposable? SelectorReservation { get; set; }

    /// <summary>The held lease (set by the lease stage, released when the rest of the pipeline is done).</summary>
    public UpstreamLease? Lease { get; set; }

    /// <summary>The <c>sendLoadingState</c> stream, when it applies to this request.</summary>
    public LoadingStream? Loading { get; set; }

    public ModelConfig Model => Config.Models[ModelId!];

    public static ModelRequest Of(HttpContext context)
        => context.Features.Get<ModelRequest>() ?? throw new InvalidOperationException("the model pipeline's first stage did not run");
}
