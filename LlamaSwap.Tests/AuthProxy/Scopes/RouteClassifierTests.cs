using LlamaSwap.AuthProxy.Scopes;
using LlamaSwap.Core.Configuration;

namespace LlamaSwap.Tests.AuthProxy.Scopes;

public sealed class RouteClassifierTests
{
    public static TheoryData<string, string, ApiKeyScopes> Routes => new()
    {
        { "POST", "/v1/chat/completions", ApiKeyScopes.Inference },
        { "POST", "/v/chat/completions", ApiKeyScopes.Inference },
        { "POST", "/v1/embeddings", ApiKeyScopes.Inference },
        { "POST", "/v1/messages/count_tokens", ApiKeyScopes.Inference },
        { "POST", "/audioapi/v1/tasks/run", ApiKeyScopes.Inference },
        { "POST", "/v1/audio/transcriptions", ApiKeyScopes.Inference },
        { "GET", "/v1/audio/voices", ApiKeyScopes.Inference },
        { "GET", "/props", ApiKeyScopes.Inference },
        { "GET", "/upstream/llama/health", ApiKeyScopes.Inference },
        { "DELETE", "/upstream/llama/slots/0", ApiKeyScopes.Inference },
        { "GET", "/v1/chat/completions", ApiKeyScopes.Admin },
        { "GET", "/v1/models", ApiKeyScopes.Read | ApiKeyScopes.Inference },
        { "GET", "/models", ApiKeyScopes.Read | ApiKeyScopes.Inference },
        { "GET", "/running", ApiKeyScopes.Read },
        { "GET", "/api/events", ApiKeyScopes.Read },
        { "GET", "/logs", ApiKeyScopes.Read },
        { "GET", "/logs/stream", ApiKeyScopes.Read },
        { "GET", "/logs/stream/llama", ApiKeyScopes.Read },
        { "GET", "/metrics", ApiKeyScopes.Read },
        { "GET", "/api/metrics/activity", ApiKeyScopes.Read },
        { "GET", "/api/metrics/stats", ApiKeyScopes.Read },
        { "GET", "/ui", ApiKeyScopes.Read },
        { "GET", "/ui/assets/app.js", ApiKeyScopes.Read },
        { "HEAD", "/ui/index.html", ApiKeyScopes.Read },
        { "GET", "/api/profiles", ApiKeyScopes.Read },
        { "GET", "/api/version", ApiKeyScopes.Read },
        { "GET", "/unload", ApiKeyScopes.Admin },
        { "POST", "/api/models/unload", ApiKeyScopes.Admin },
        { "POST", "/api/models/unload/llama", ApiKeyScopes.Admin },
        { "POST", "/api/models/unload/author/model", ApiKeyScopes.Admin },
        { "PUT", "/api/profiles/active", ApiKeyScopes.Admin },
        { "GET", "/api/captures/12", ApiKeyScopes.Admin },
        { "POST", "/api/inflight/7/cancel", ApiKeyScopes.Admin },
        { "GET", "/api/usage", ApiKeyScopes.Admin },
        { "GET", "/api/usage/keys", ApiKeyScopes.Admin },
        { "POST", "/v1/models", ApiKeyScopes.Admin },
        { "DELETE", "/running", ApiKeyScopes.Admin },
        { "POST", "/api/events", ApiKeyScopes.Admin },
        { "GET", "/api/something-new", ApiKeyScopes.Admin },
        { "GET", "/comfyui/prompt", ApiKeyScopes.Inference },
    };

    [Theory]
    [MemberData(nameof(Routes))]
    public void Classify_NeedsTheRouteScope(string method, string path, ApiKeyScopes expected)
        => Assert.Equal(expected, ScopeMiddleware.Classify(method, RequestPath.Normalize(path)!));

    [Theory]
    [InlineData("/API/Models/Unload", "/api/models/unload")]
    [InlineData("//api//models/unload/", "/api/models/unload")]
    [InlineData("/V1/Chat/Completions", "/v1/chat/completions")]
    [InlineData("", "/")]
    [InlineData("/upstream/llama/files/a%2Fb", "/upstream/llama/files/a%2fb")]
    public void Normalize_CaseSlashesTrailingSlash(string path, string expected) => Assert.Equal(expected, RequestPath.Normalize(path));

    [Theory]
    [InlineData("/api/models/../unload")]
    [InlineData("/v1/./models")]
    [InlineData("/api/models%2Funload")]
    [InlineData("/api/models/%2e%2e/unload")]
    [InlineData("/api\\models\\unload")]
    [InlineData("/upstream/../api/models/unload")]
    public void Normalize_Ambiguous_IsNull(string path) => Assert.Null(RequestPath.Normalize(path));
}
