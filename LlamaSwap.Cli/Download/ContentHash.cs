using System.Security.Cryptography;
using System.Text;

namespace LlamaSwap.Cli.Download;

/// <summary>
/// Hashes a file as the hub identifies it, while it streams in: SHA-256 for LFS files, the git blob
/// SHA-1 (<c>"blob {size}\0"</c> then the content) for small files kept in git.
/// </summary>
internal sealed class ContentHash : IDisposable
{
    private readonly RepoFile _file;
    private IncrementalHash _hash;

    public ContentHash(RepoFile file)
    {
        _file = file;
        _hash = Create(file);
    }

    public void Append(ReadOnlySpan<byte> data) => _hash.AppendData(data);

    /// <summary>Forgets everything appended: the server sent the file from its start again.</summary>
    public void Reset()
    {
        _hash.Dispose();
        _hash = Create(_file);
    }

    /// <summary>The hash in <see cref="RepoFile.ExpectedHash"/>'s form.</summary>
    public string Finish()
        => (_file.Sha256 is not null ? "sha256:" : "git-sha1:") + Convert.ToHexStringLower(_hash.GetHashAndReset());

    /// <summary>Appends the first <paramref name="length"/> bytes of <paramref name="stream"/> (read from its start).</summary>
    public async Task AppendAsync(Stream stream, long length, CancellationToken cancellationToken)
    {
        var buffer = new byte[1 << 20];
        stream.Position = 0;
        var left = length;
        while (left > 0)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, left)), cancellationToken);
            if (read == 0)
            {
                throw new IOException($"a file ended at {length - left} of {length} bytes while being hashed");
            }

            Append(buffer.AsSpan(0, read));
            left -= read;
        }
    }

    public void Dispose() => _hash.Dispose();

    private static IncrementalHash Create(RepoFile file)
    {
        if (file.Sha256 is not null)
        {
            return IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        }

        var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA1);
        hash.AppendData(Encoding.ASCII.GetBytes($"blob {file.Size}\0"));
        return hash;
    }
}
