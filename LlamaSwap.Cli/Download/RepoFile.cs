namespace LlamaSwap.Cli.Download;

/// <summary>
/// A file of a repository at one commit, as the hub lists it. <see cref="Sha256"/> is the LFS object
/// id (every large file); small files kept in git have only <see cref="GitBlobId"/>, the git blob
/// SHA-1, which is just as checkable.
/// </summary>
internal sealed record RepoFile(string Path, long Size, string? Sha256, string? GitBlobId)
{
    /// <summary>The hash a complete copy must have, as <c>sha256:hex</c> or <c>git-sha1:hex</c>; null when the hub gave none.</summary>
    public string? ExpectedHash => Sha256 is not null ? "sha256:" + Sha256 : GitBlobId is not null ? "git-sha1:" + GitBlobId : null;
}

/// <summary>A repository's files at the commit a revision pointed to when listed.</summary>
internal sealed record RepoSnapshot(string Repo, string Commit, IReadOnlyList<RepoFile> Files);
