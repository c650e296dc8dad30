using static LlamaSwap.Cli.Download.ProgressFormat;

namespace LlamaSwap.Cli.Download;

/// <summary>
/// Brings one file of a repository into a folder: skips a complete copy, otherwise downloads into
/// <c>&lt;file&gt;.part</c> (resuming what is there with a Range request), checks the size and the
/// hub's hash, and only then renames it into place. A copy that fails the hash is deleted, never
/// left under the final name.
/// </summary>
internal sealed partial class FileDownloader(HubClient hub, DownloadContext context, TextWriter output)
{
    /// <summary>True when the file was fetched, false when the copy on disk was already complete.</summary>
    public async Task<bool> EnsureAsync(RepoSnapshot snapshot, RepoFile file, string directory, CancellationToken cancellationToken)
    {
        var target = TargetPath(directory, file);
        if (await IsCompleteAsync(file, directory, target, cancellationToken))
        {
            output.WriteLine($"{file.Path}: up to date ({Bytes(file.Size)})");
            return false;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        var progress = new DownloadProgress(output, context.Progress, context.Clock, file.Path, file.Size);
        try
        {
            return await Retries.RunAsync(
                context,
                output,
                async () =>
                {
                    await FetchAsync(snapshot, file, directory, target, progress, cancellationToken);
                    return true;
                },
                progress.Interrupt,
                $". What arrived is kept in {target}.part: run the same command again to resume",
                cancellationToken);
        }
        finally
        {
            progress.Interrupt(); // a failure's message (or Ctrl-C's) starts on a line of its own
        }
    }

    /// <summary>Where <paramref name="file"/> goes; refuses a listed path that would land outside <paramref name="directory"/>.</summary>
    public static string TargetPath(string directory, RepoFile file)
    {
        var root = Path.GetFullPath(directory);
        var target = Path.GetFullPath(Path.Combine(root, file.Path));
        if (!target.StartsWith(Path.TrimEndingDirectorySeparator(root) + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new DownloadException($"refusing '{file.Path}': the hub listed a path outside {root}");
        }

        return target;
    }

    private async Task<bool> IsCompleteAsync(RepoFile file, string directory, string target, CancellationToken cancellationToken)
    {
        var existing = new FileInfo(target);
        if (!existing.Exists)
        {
            return false;
        }

        if (existing.Length == file.Size
            && (file.ExpectedHash is null || VerifiedMarker.Covers(directory, file, existing)))
        {
            return true;
        }

        string? reason = null;
        if (existing.Length != file.Size)
        {
            reason = $"{Bytes(existing.Length)} on disk, the hub lists {Bytes(file.Size)}";
        }
        else
        {
            output.WriteLine($"{file.Path}: checking the copy on disk ({Bytes(file.Size)})");
            using var hash = new ContentHash(file);
            await using (var stream = new FileStream(target, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan))
            {
                await hash.AppendAsync(stream, file.Size, cancellationToken);
            }

            var actual = hash.Finish();
            if (actual == file.ExpectedHash)
            {
                VerifiedMarker.Write(directory, file, actual, existing);
                return true;
            }

            reason = $"it has {actual}, the hub lists {file.ExpectedHash}";
        }

        // The hub's copy is the one asked for; a stale file must not stay looking complete if this run fails.
        output.WriteLine($"{file.Path}: the copy on disk differs from the hub ({reason}): downloading it again");
        File.Delete(target);
        VerifiedMarker.Delete(directory, file);
        return false;
    }

    private async Task FetchAsync(RepoSnapshot snapshot, RepoFile file, string directory, string target, DownloadProgress progress, CancellationToken cancellationToken)
    {
        var part = target + ".part";
        var offset = File.Exists(part) ? new FileInfo(part).Length : 0;
        if (offset > file.Size)
        {
            output.WriteLine($"{file.Path}: {part} is larger than the file: starting over");
            offset = 0;
        }

        using var hash = new ContentHash(file);
        var opened = false;
        try
        {
            await using var stream = new FileStream(part, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1);
            opened = true;

            // A second run on the same folder cannot get here at the same time: FileShare.None locks the .part.
            stream.SetLength(offset);
            if (offset > 0)
            {
                output.WriteLine($"{file.Path}: resuming at {Bytes(offset)} of {Bytes(file.Size)} (reading what is there to hash it)");
                await hash.AppendAsync(stream, offset, cancellationToken);
            }

            if (offset < file.Size)
            {
                await TransferAsync(snapshot, file, stream, offset, hash, progress, cancellationToken);
            }
            else
            {
                progress.Start(offset);
            }

            stream.Flush(flushToDisk: true);
        }
        finally
        {
            // Nothing arrived (a 404, an unreachable CDN): no empty .part left behind. Only ours:
            // when another run holds the lock, its .part is not this run's to delete.
            if (opened && new FileInfo(part) is { Exists: true, Length: 0 })
            {
                File.Delete(part);
            }
        }

        var actual = hash.Finish();
        if (file.ExpectedHash is not null && actual != file.ExpectedHash)
        {
            File.Delete(part);
            throw new DownloadException(
                $"{file.Path}: hash mismatch: the hub lists {file.ExpectedHash}, the download has {actual}. The download was deleted; "
                + "run again to fetch it afresh (if it repeats, the server or a proxy delivers a damaged copy)");
        }

        File.Move(part, target, overwrite: true);
        VerifiedMarker.Write(directory, file, actual, new FileInfo(target));
        progress.Finish();
    }
}
