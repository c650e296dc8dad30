namespace LlamaSwap.Cli.Download;

/// <summary>A model of the seed stack: where it comes from and which file llama-server loads.</summary>
/// <param name="ModelFile">Relative to the repository's folder; <c>examples/seed-models.yaml</c> points at it.</param>
internal sealed record DefaultModel(string Name, string Repo, IReadOnlyList<string> Include, string ModelFile)
{
    /// <summary><c>&lt;root&gt;/&lt;repo-name&gt;</c>, the folder a plain <c>llamaswap download &lt;repo&gt;</c> uses too.</summary>
    public string Folder(string root) => Path.Combine(root, DefaultModels.FolderName(Repo));
}

/// <summary>
/// The four models <c>download --default-models</c> fetches, the seed stack's
/// <c>download-default-models.sh</c>. Repository and file names follow the publishers' naming
/// (ggml-org, unsloth, nomic-ai); change them here and in <c>examples/seed-models.yaml</c> together.
/// </summary>
internal static class DefaultModels
{
    public static readonly IReadOnlyList<DefaultModel> All =
    [
        new("gpt-oss-120b", "ggml-org/gpt-oss-120b-GGUF", ["gpt-oss-120b-mxfp4-*.gguf"], "gpt-oss-120b-mxfp4-00001-of-00003.gguf"),
        new("GLM-4.7-Flash", "unsloth/GLM-4.7-Flash-GGUF", ["*UD-Q4_K_XL*"], "GLM-4.7-Flash-UD-Q4_K_XL.gguf"),
        new("Qwen3-Coder-Next", "unsloth/Qwen3-Coder-Next-GGUF", ["*UD-Q4_K_XL*"], "Qwen3-Coder-Next-UD-Q4_K_XL.gguf"),
        new("nomic-embed-text-v1.5", "nomic-ai/nomic-embed-text-v1.5-GGUF", ["nomic-embed-text-v1.5.f16.gguf"], "nomic-embed-text-v1.5.f16.gguf"),
    ];

    /// <summary>The repository's name without its owner: <c>ggml-org/gpt-oss-120b-GGUF</c> -> <c>gpt-oss-120b-GGUF</c>.</summary>
    public static string FolderName(string repo) => repo[(repo.LastIndexOf('/') + 1)..];
}
