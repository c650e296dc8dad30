namespace LlamaSwap.Core.Http.ModelExtraction;

/// <summary>The model-dispatched routes (reference section 2.1), by where the model name is found.</summary>
public static class InferenceRoutes
{
    /// <summary>POST routes whose JSON body names the model.</summary>
    public static readonly IReadOnlyList<string> JsonPost =
    [
        "/v1/chat/completions",
        "/v1/responses",
        "/v1/completions",
        "/v1/messages",
        "/v1/messages/count_tokens",
        "/v1/embeddings",
        "/reranking",
        "/rerank",
        "/v1/rerank",
        "/v1/reranking",
        "/infill",
        "/completion",
        "/v1/audio/speech",
        "/v1/audio/voices",
        "/v1/images/generations",
        "/sdapi/v1/txt2img",
        "/sdapi/v1/img2img",
        "/audioapi/v1/tasks/run",
        "/v/chat/completions",
        "/v/responses",
        "/v/completions",
        "/v/messages",
        "/v/messages/count_tokens",
        "/v/embeddings",
        "/v/rerank",
        "/v/reranking",
    ];

    /// <summary>POST routes whose multipart form names the model.</summary>
    public static readonly IReadOnlyList<string> MultipartPost =
    [
        "/v1/audio/transcriptions",
        "/v1/images/edits",
    ];

    /// <summary>GET routes with <c>?model=</c>.</summary>
    public static readonly IReadOnlyList<string> QueryGet =
    [
        "/v1/audio/voices",
        "/sdapi/v1/loras",
        "/props",
    ];
}
