namespace LlamaSwap.Core.Configuration;

/// <summary>What a model accepts and produces, advertised by <c>/v1/models</c> (reference 1.4, 2.2).</summary>
public sealed record ModelCapabilities
{
    /// <summary>The modalities <see cref="In"/> and <see cref="Out"/> may name.</summary>
    public static readonly IReadOnlyList<string> Modalities = ["text", "audio", "image"];

    /// <summary>Input modalities (each of text, audio, image), in configured order.</summary>
    public IReadOnlyList<string> In { get; init; } = [];

    /// <summary>Output modalities (each of text, audio, image), in configured order.</summary>
    public IReadOnlyList<string> Out { get; init; } = [];

    /// <summary>The model supports function calling.</summary>
    public bool Tools { get; init; }

    /// <summary>The model serves <c>/v1/rerank</c>.</summary>
    public bool Reranker { get; init; }

    /// <summary>Maximum context length in tokens; 0 = not stated.</summary>
    public int Context { get; init; }

    /// <summary>All fields at their defaults, which llama-swap treats as "no capabilities".</summary>
    public bool IsEmpty => In.Count == 0 && Out.Count == 0 && !Tools && !Reranker && Context == 0;
}
