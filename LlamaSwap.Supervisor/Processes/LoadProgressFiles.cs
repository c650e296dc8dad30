using System.Text.RegularExpressions;

namespace LlamaSwap.Supervisor.Processes;

/// <summary>A model file an upstream will load: its path as the kernel names it in smaps, and its size.</summary>
internal sealed record ModelFile(string Path, long Size);

/// <summary>
/// Finds the model files an upstream command names, whose total size is what "loaded" is measured
/// against. Looks at the values of the model flags (<c>-m</c>, <c>--model</c>, <c>--mmproj</c>, ...),
/// at any argument that is an existing <c>.gguf</c>/<c>.safetensors</c>/<c>.bin</c> file, and inside a
/// <c>--model</c> directory (vLLM-like servers). Words inside an argument count too, so
/// <c>sh -c "llama-server -m x.gguf"</c> is seen through. Only files that exist count.
/// </summary>
internal static partial class LoadProgressFiles
{
    private static readonly HashSet<string> ModelFlags = new(StringComparer.Ordinal)
    {
        "-m", "--model", "--mmproj", "-mm", "-md", "--model-draft", "--lora", "--lora-scaled",
        "--control-vector", "-mv", "--model-vocoder", "--hf-file", "--model-path", "--tokenizer",
    };

    private static readonly string[] ModelExtensions = [".gguf", ".safetensors", ".bin", ".pt", ".pth"];

    // A directory of weights is bounded: a mistyped --model / could otherwise walk a whole disk.
    private const int MaxDirectoryFiles = 512;

    /// <summary>The distinct existing model files of <paramref name="command"/> (empty when none is found).</summary>
    public static IReadOnlyList<ModelFile> Find(IReadOnlyList<string> command)
    {
        var words = command.SelectMany(argument => argument.Split((char[])[' ', '\t', '\n', '"', '\''], StringSplitOptions.RemoveEmptyEntries)).ToList();
        var found = new Dictionary<string, ModelFile>(StringComparer.Ordinal);
        for (var i = 0; i < words.Count; i++)
        {
            var word = words[i];
            string? value = null;
            var equals = word.IndexOf('=', StringComparison.Ordinal);
            if (word.StartsWith('-') && equals > 0 && ModelFlags.Contains(word[..equals]))
            {
                value = word[(equals + 1)..];
            }
            else if (ModelFlags.Contains(word) && i + 1 < words.Count)
            {
                value = words[++i];
            }

            if (value is not null)
            {
                AddPath(found, value, directoryAllowed: true);
            }
            else if (ModelExtensions.Any(ext => word.EndsWith(ext, StringComparison.OrdinalIgnoreCase)))
            {
                AddPath(found, word, directoryAllowed: false);
            }
        }

        return [.. found.Values.OrderBy(f => f.Path, StringComparer.Ordinal)];
    }

    private static void AddPath(Dictionary<string, ModelFile> found, string path, bool directoryAllowed)
    {
        try
        {
            if (File.Exists(path))
            {
                AddFile(found, path);
                foreach (var part in SplitSiblings(Resolve(path)))
                {
                    AddFile(found, part);
                }
            }
            else if (directoryAllowed && Directory.Exists(path))
            {
                var options = new EnumerationOptions { RecurseSubdirectories = true, MaxRecursionDepth = 3, IgnoreInaccessible = true };
                foreach (var file in Directory.EnumerateFiles(path, "*", options)
                             .Where(f => ModelExtensions.Any(ext => f.EndsWith(ext, StringComparison.OrdinalIgnoreCase)))
                             .Take(MaxDirectoryFiles))
                {
                    AddFile(found, file);
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
            // A path we cannot look at is a path we cannot measure; the load itself will say more.
        }
    }

    private static void AddFile(Dictionary<string, ModelFile> found, string path)
    {
        var resolved = Resolve(path);
        if (!found.ContainsKey(resolved))
        {
            found[resolved] = new ModelFile(resolved, new FileInfo(resolved).Length);
        }
    }

    /// <summary>A split GGUF (<c>x-00001-of-00003.gguf</c>): llama.cpp loads every part from the first.</summary>
    private static IEnumerable<string> SplitSiblings(string path)
    {
        var match = SplitPart().Match(Path.GetFileName(path));
        if (!match.Success)
        {
            yield break;
        }

        var count = int.Parse(match.Groups["count"].Value, System.Globalization.CultureInfo.InvariantCulture);
        var width = match.Groups["count"].Value.Length;
        var directory = Path.GetDirectoryName(path) ?? ".";
        for (var part = 1; part <= Math.Min(count, 999); part++)
        {
            var name = $"{match.Groups["stem"].Value}-{part.ToString(System.Globalization.CultureInfo.InvariantCulture).PadLeft(width, '0')}-of-{match.Groups["count"].Value}.gguf";
            var sibling = Path.Combine(directory, name);
            if (File.Exists(sibling))
            {
                yield return sibling;
            }
        }
    }

    /// <summary>The absolute path with symlinks resolved: smaps names the file the link points at.</summary>
    private static string Resolve(string path)
    {
        var full = Path.GetFullPath(path);
        var target = new FileInfo(full).ResolveLinkTarget(returnFinalTarget: true);
        return target is null ? full : Path.GetFullPath(target.FullName);
    }

    [GeneratedRegex(@"^(?<stem>.+)-\d{5}-of-(?<count>\d{5})\.gguf$", RegexOptions.IgnoreCase)]
    private static partial Regex SplitPart();
}
