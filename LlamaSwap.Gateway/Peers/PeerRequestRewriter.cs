using LlamaSwap.Core.Configuration;
using LlamaSwap.Gateway.Pipeline.Extraction;
using LlamaSwap.Gateway.Routing;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Primitives;

namespace LlamaSwap.Gateway.Peers;

/// <summary>
/// Prepares a request for a peer (reference 2.1.2, 3.13): the peer's <c>stripParams</c>/<c>setParams</c>
/// on JSON bodies, and the FQN the client used replaced by the peer's own model ID.
/// </summary>
internal static class PeerRequestRewriter
{
    private const string ModelKey = "model";

    /// <summary>The rewritten body and content type, or null when the body goes as sent.</summary>
    public static Task<(byte[] Body, string ContentType)?> RewriteBodyAsync(
        PeerModel model, string requested, string? contentType, ReadOnlyMemory<byte> body)
    {
        if (RequestBodyKinds.Of(contentType) == RequestBodyKind.UrlEncodedForm)
        {
            // Filters never touch forms; only the FQN becomes the peer's own ID.
            var form = UsedFqn(model, requested) ? UrlEncodedForm.ReplaceField(body.Span, ModelKey, model.ModelId) : null;
            return Task.FromResult<(byte[] Body, string ContentType)?>(form is null ? null : (form, contentType!));
        }

        // The model filters already do exactly this to a model: to them a peer model is one whose
        // useModelName is the peer's own ID when the client used the FQN (a bare name already is it).
        var asModel = new ModelConfig
        {
            Id = model.Fqn,
            CmdText = string.Empty,
            Command = [],
            Proxy = model.Peer.Proxy,
            Filters = model.Peer.Filters,
            UseModelName = UsedFqn(model, requested) ? model.ModelId : null,
        };
        return RequestFilters.ApplyAsync(asModel, requested, contentType, body);
    }

    /// <summary>The query with <c>model</c> set to the peer's own ID when it named the FQN; otherwise as sent.</summary>
    public static QueryString RewriteQuery(PeerModel model, IQueryCollection query, QueryString original)
    {
        if (!query.TryGetValue(ModelKey, out var value) || value.ToString() != model.Fqn)
        {
            return original;
        }

        var rebuilt = new Dictionary<string, StringValues>(query, StringComparer.Ordinal) { [ModelKey] = model.ModelId };
        return new QueryString(QueryHelpers.AddQueryString(string.Empty, rebuilt));
    }

    private static bool UsedFqn(PeerModel model, string requested) => requested == model.Fqn;
}
