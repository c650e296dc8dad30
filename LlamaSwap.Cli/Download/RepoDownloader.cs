using System.Text;
using static LlamaSwap.Cli.Download.ProgressFormat;

namespace LlamaSwap.Cli.Download;

/// <summary>Downloads the selected files of one repository, one after the other, into one folder.</summary>
internal sealed class RepoDownloader(HubClient hub, DownloadContext context, TextWriter output)
{
    private readonly FileDownloader _files = new(hub, context, output);

    /// <summary>Returns the files selected (all complete on disk when it returns).</summary>
    public async Task<IReadOnlyList<RepoFile>> DownloadAsync(
        string repo, string revision, IReadOnlyList<PathGlob> includes, string directory, CancellationToken cancellationToken)
    {
        output.WriteLine($"{repo}: listing revision {revision} on {hub.Endpoint.Host}");
        var snapshot = await Retries.RunAsync(
            context, output, () => hub.GetSnapshotAsync(repo, revision, cancellationToken), static () => { }, "", cancellationToken);
        var selected = Select(snapshot, includes);

        Directory.CreateDirectory(directory);
        CheckFreeSpace(repo, selected, directory);
        var commit = snapshot.Commit.Length > 12 ? snapshot.Commit[..12] : snapshot.Commit;
        output.WriteLine($"{repo}: {selected.Count} file(s), {Bytes(selected.Sum(f => f.Size))}, commit {commit} -> {directory}");

        var fetched = 0;
        foreach (var file in selected)
        {
            if (await _files.EnsureAsync(snapshot, file, directory, cancellationToken))
            {
                fetched++;
            }
        }

        output.WriteLine($"{repo}: complete ({fetched} downloaded, {selected.Count - fetched} already there)");
        foreach (var variant in GgufVariants.Of(selected))
        {
            output.WriteLine($"  model file: {FileDownloader.TargetPath(directory, variant.Entry)}");
        }

        return selected;
    }

    private static List<RepoFile> Select(RepoSnapshot snapshot, IReadOnlyList<PathGlob> includes)
    {
        var selected = snapshot.Files.Where(f => PathGlob.AnyMatch(includes, f.Path)).OrderBy(f => f.Path, StringComparer.Ordinal).ToList();
        if (includes.Count == 0 && GgufVariants.Of(selected) is { Count: > 1 } variants)
        {
            throw new DownloadException(ChooseVariant(snapshot, variants), exitCode: 2);
        }

        if (selected.Count == 0)
        {
            var listed = string.Join(", ", snapshot.Files.Take(20).Select(f => f.Path)) + (snapshot.Files.Count > 20 ? ", ..." : "");
            throw new DownloadException(includes.Count == 0
                ? $"{snapshot.Repo} has no files"
                : $"no file of {snapshot.Repo} matches {string.Join(" or ", includes.Select(g => $"'{g.Pattern}'"))}; it has: {listed}");
        }

        return selected;
    }

    private static string ChooseVariant(RepoSnapshot snapshot, IReadOnlyList<GgufVariant> variants)
    {
        var text = new StringBuilder(
            $"{snapshot.Repo} holds {variants.Count} GGUF quantizations ({Bytes(variants.Sum(v => v.Size))} together); choose one with --include:");
        var width = variants.Max(v => v.Include.Length) + 2;
        foreach (var variant in variants)
        {
            var include = $"'{variant.Include}'".PadRight(width);
            text.Append($"\n  --include {include}  {variant.Files.Count} file(s), {Bytes(variant.Size)}");
        }

        return text.Append("\n(--include '*' takes every file)").ToString();
    }

    // Counts what is already there (complete files, .part files) so a resumed run is not refused.
    private void CheckFreeSpace(string repo, IReadOnlyList<RepoFile> files, string directory)
    {
        long needed = 0;
        foreach (var file in files)
        {
            var target = new FileInfo(FileDownloader.TargetPath(directory, file));
            var part = new FileInfo(target.FullName + ".part");
            var present = target.Exists && target.Length == file.Size ? file.Size : part.Exists ? Math.Min(part.Length, file.Size) : 0;
            needed += file.Size - present;
        }

        var free = context.FreeSpace(directory);
        if (needed > free)
        {
            throw new DownloadException($"not enough space in {directory}: {repo} needs {Bytes(needed)} more, {Bytes(free)} free");
        }
    }
}
