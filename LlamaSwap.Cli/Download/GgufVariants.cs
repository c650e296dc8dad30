using System.Text.RegularExpressions;

namespace LlamaSwap.Cli.Download;

/// <summary>One quantization in a GGUF repository: a single file, a set of shards, or a folder of shards.</summary>
internal sealed record GgufVariant(string Include, IReadOnlyList<RepoFile> Files)
{
    public long Size => Files.Sum(f => f.Size);

    /// <summary>The file to give llama-server's <c>-m</c>: the only file, or the first shard (llama.cpp finds the rest).</summary>
    public RepoFile Entry => Files.OrderBy(f => f.Path, StringComparer.Ordinal).First();
}

/// <summary>
/// Groups a repository's <c>.gguf</c> files into quantizations, so a download without
/// <c>--include</c> of a repository holding a dozen of them (often hundreds of GB together) is
/// stopped with a list to choose from. Vision projectors (<c>mmproj*</c>) go with any model.
/// </summary>
internal static partial class GgufVariants
{
    public static IReadOnlyList<GgufVariant> Of(IEnumerable<RepoFile> files)
        => files
            .Where(f => f.Path.EndsWith(".gguf", StringComparison.OrdinalIgnoreCase)
                && !Path.GetFileName(f.Path).StartsWith("mmproj", StringComparison.OrdinalIgnoreCase))
            .GroupBy(IncludeFor, StringComparer.Ordinal)
            .Select(g => new GgufVariant(g.Key, g.OrderBy(f => f.Path, StringComparer.Ordinal).ToList()))
            .OrderBy(v => v.Include, StringComparer.Ordinal)
            .ToList();

    // Unsloth-style repositories keep big quantizations in a folder each; others shard in place.
    private static string IncludeFor(RepoFile file)
    {
        var slash = file.Path.LastIndexOf('/');
        if (slash > 0)
        {
            return file.Path[..slash] + "/*";
        }

        var shard = Shard().Match(file.Path);
        return shard.Success ? file.Path[..shard.Index] + "-*-of-*.gguf" : file.Path;
    }

    [GeneratedRegex(@"-\d{5}-of-\d{5}\.gguf$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Shard();
}
