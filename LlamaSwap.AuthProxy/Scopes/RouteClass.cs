using LlamaSwap.Core.Configuration;

namespace LlamaSwap.AuthProxy.Scopes;

/// <summary>What a route needs beyond the scope check.</summary>
internal enum RouteKind
{
    /// <summary>Nothing: the scope decides.</summary>
    Plain,

    /// <summary>A model-dispatched route: the model is in the body or the query (reference 2.1.1).</summary>
    ModelInRequest,

    /// <summary><c>/upstream/&lt;model&gt;/...</c>: the model is in the path (reference 2.5).</summary>
    Upstream,

    /// <summary><c>GET /v1/models</c>, <c>GET /models</c>: the list is filtered by the key's models.</summary>
    ModelList,
}

/// <summary>The scope a request needs and how its model is found.</summary>
internal readonly record struct RouteClass(ApiKeyScopes Scope, RouteKind Kind);
