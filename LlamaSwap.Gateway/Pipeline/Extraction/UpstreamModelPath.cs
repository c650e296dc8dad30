using LlamaSwap.Core.Configuration;

namespace LlamaSwap.Gateway.Pipeline.Extraction;

/// <summary>
/// A request under <c>/upstream/</c> split into the model it names and the rest of the path.
/// </summary>
/// <param name="RequestedName">The model ID, alias or peer model name as written in the path.</param>
/// <param name="ModelId">The real model ID, or the peer model's FQN.</param>
/// <param name="Remainder">What follows the model in the raw (still percent-encoded) path; empty for a bare <c>/upstream/&lt;model&gt;</c>.</param>
/// <param name="RawModelPath">The raw <c>/upstream/&lt;model&gt;</c> prefix, for the trailing-slash redirect.</param>
/// <param name="Peer">The peer model when the name is a peer's (FQN or unique bare ID); null for a local model.</param>
internal sealed record UpstreamModelPath(string RequestedName, string ModelId, string Remainder, string RawModelPath, PeerModel? Peer = null)
{
    private const string Prefix = "/upstream/";

    /// <summary>
    /// Picks the LONGEST run of leading segments that is a model ID, alias or peer model name, so IDs with slashes
    /// (<c>author/model</c>) win over a shorter ID that happens to be their first segment.
    /// </summary>
    /// <param name="decodedPath">The request path as routed (percent-decoded except <c>%2F</c>).</param>
    /// <param name="rawPath">The request target's path as sent, or null when unknown.</param>
    public static UpstreamModelPath? Resolve(LlamaSwapConfig config, string decodedPath, string? rawPath)
    {
        if (!decodedPath.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var segments = decodedPath[Prefix.Length..].Split('/');
        string? requested = null;
        string? modelId = null;
        PeerModel? peer = null;
        var modelSegmentCount = 0;
        for (var count = 1; count <= segments.Length; count++)
        {
            var candidate = string.Join('/', segments, 0, count);
            if (candidate.Length > 0 && config.ResolveModelId(candidate) is { } id)
            {
                requested = candidate;
                modelId = id;
                peer = null;
                modelSegmentCount = count;
            }
            else if (candidate.Length > 0 && config.ResolvePeer(candidate) is { } peerModel)
            {
                requested = candidate;
                modelId = peerModel.Fqn;
                peer = peerModel;
                modelSegmentCount = count;
            }
        }

        if (modelId is null || requested is null)
        {
            return null;
        }

        // Forward the raw remainder so encodings such as %2F reach the upstream as sent; fall back
        // to the decoded path when the two do not line up segment for segment (normalised dots).
        var source = decodedPath;
        if (rawPath is not null && rawPath.StartsWith(Prefix, StringComparison.Ordinal)
            && rawPath[Prefix.Length..].Split('/').Length == segments.Length)
        {
            source = rawPath;
        }

        var split = IndexAfterSegments(source, Prefix.Length, modelSegmentCount);
        return new UpstreamModelPath(requested, modelId, source[split..], source[..split], peer);
    }

    private static int IndexAfterSegments(string path, int start, int segmentCount)
    {
        var index = start;
        for (var i = 0; i < segmentCount; i++)
        {
            var slash = path.IndexOf('/', index);
            if (slash < 0)
            {
                return path.Length;
            }

            index = i == segmentCount - 1 ? slash : slash + 1;
        }

        return index;
    }
}
