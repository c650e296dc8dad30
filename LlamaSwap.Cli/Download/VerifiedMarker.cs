using System.Text.Json;

namespace LlamaSwap.Cli.Download;

/// <summary>
/// Remembers that a complete file had the hub's hash, so a rerun skips it without reading 60 GB
/// again: <c>&lt;dir&gt;/.llamaswap/&lt;path&gt;.verified</c> holds the hash with the size and
/// modification time the file had then. The file is hashed again when its size or mtime changed,
/// or when the hub now lists another hash.
/// </summary>
internal sealed record VerifiedMarker(string Hash, long Size, long LastWriteUtcTicks)
{
    public const string Folder = ".llamaswap";

    public static string PathFor(string directory, RepoFile file)
        => Path.Combine(directory, Folder, file.Path + ".verified");

    /// <summary>Whether <paramref name="target"/> was verified against <paramref name="file"/>'s current hash and has not changed since.</summary>
    public static bool Covers(string directory, RepoFile file, FileInfo target)
    {
        var path = PathFor(directory, file);
        if (file.ExpectedHash is null || !File.Exists(path))
        {
            return false;
        }

        VerifiedMarker? marker;
        try
        {
            marker = JsonSerializer.Deserialize(File.ReadAllText(path), HubJson.Default.VerifiedMarker);
        }
        catch (JsonException)
        {
            return false; // unreadable marker: hash the file again, which rewrites it
        }

        return marker is not null
            && marker.Hash == file.ExpectedHash
            && marker.Size == target.Length
            && marker.LastWriteUtcTicks == target.LastWriteTimeUtc.Ticks;
    }

    public static void Write(string directory, RepoFile file, string hash, FileInfo target)
    {
        var path = PathFor(directory, file);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        target.Refresh();
        var marker = new VerifiedMarker(hash, target.Length, target.LastWriteTimeUtc.Ticks);
        File.WriteAllText(path, JsonSerializer.Serialize(marker, HubJson.Default.VerifiedMarker));
    }

    public static void Delete(string directory, RepoFile file) => File.Delete(PathFor(directory, file));
}
