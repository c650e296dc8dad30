using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using LlamaSwap.Tests.Gateway.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace LlamaSwap.Tests.Cli.Download;

/// <summary>
/// The few Hugging Face Hub endpoints <c>llamaswap download</c> uses, on a loopback port: the
/// revision listing (with LFS sha256s and git blob ids), <c>/resolve</c> that redirects LFS files to a
/// "CDN" on another host name (<c>localhost</c> rather than 127.0.0.1, so a token sent there shows),
/// Range support, and per-file faults: a connection cut, a Range ignored, a damaged copy.
/// </summary>
internal sealed class FakeHub : IAsyncDisposable
{
    private const int Chunk = 64 * 1024;
    private readonly ConcurrentDictionary<string, FakeRepo> _repos = new(StringComparer.Ordinal);
    private readonly WebApplication _app;

    private FakeHub(WebApplication app, string url)
    {
        _app = app;
        Url = url;
    }

    public string Url { get; }

    /// <summary>Every file response (direct or from the CDN), in order.</summary>
    public ConcurrentQueue<ServedFile> Served { get; } = new();

    /// <summary>Every listing request: the repository and whether it carried the token.</summary>
    public ConcurrentQueue<(string Repo, string? Authorization)> Listings { get; } = new();

    public static async Task<FakeHub> StartAsync()
    {
        FakeHub? hub = null;
        var (app, url) = await LoopbackServer.StartAsync(app =>
        {
            app.MapGet("/api/models/{owner}/{name}/revision/{revision}", (HttpContext c, string owner, string name, string revision) => hub!.ListAsync(c, owner + "/" + name, revision));
            app.MapGet("/{owner}/{name}/resolve/{revision}/{**path}", (HttpContext c, string owner, string name, string revision, string path) => hub!.ResolveAsync(c, owner + "/" + name, revision, path));
            app.MapGet("/cdn/{sha256}", (HttpContext c, string sha256) => hub!.CdnAsync(c, sha256));
        });
        hub = new FakeHub(app, url);
        return hub;
    }

    public FakeRepo Repo(string id) => _repos.GetOrAdd(id, static id => new FakeRepo(id));

    /// <summary>Bytes the hub sent for <paramref name="path"/> so far.</summary>
    public long BytesServed(string path) => Served.Where(s => s.Path == path).Sum(s => s.Bytes);

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    private async Task ListAsync(HttpContext context, string repoId, string revision)
    {
        Listings.Enqueue((repoId, context.Request.Headers.Authorization.FirstOrDefault()));
        if (!_repos.TryGetValue(repoId, out var repo))
        {
            // What the hub does: 401, not 404, for a repository it will not admit exists.
            context.Response.StatusCode = 401;
            context.Response.Headers["X-Error-Code"] = "RepoNotFound";
            await context.Response.WriteAsJsonAsync(new { error = "Repository not found" });
            return;
        }

        if (revision != "main" && revision != repo.Commit)
        {
            context.Response.StatusCode = 404;
            context.Response.Headers["X-Error-Code"] = "RevisionNotFound";
            await context.Response.WriteAsJsonAsync(new { error = $"Invalid rev id: {revision}" });
            return;
        }

        var blobs = context.Request.Query["blobs"] == "true";
        var siblings = new JsonArray();
        foreach (var file in repo.Files)
        {
            var sibling = new JsonObject { ["rfilename"] = file.Path };
            if (blobs)
            {
                sibling["size"] = file.Content.Length;
                sibling["blobId"] = file.Lfs ? "0000000000000000000000000000000000000000" : file.GitBlobId;
                if (file.Lfs)
                {
                    sibling["lfs"] = new JsonObject { ["sha256"] = file.Sha256, ["size"] = file.Content.Length, ["pointerSize"] = 134 };
                }
            }

            siblings.Add(sibling);
        }

        await context.Response.WriteAsJsonAsync(new JsonObject { ["id"] = repo.Id, ["sha"] = repo.Commit, ["siblings"] = siblings });
    }

    private async Task ResolveAsync(HttpContext context, string repoId, string revision, string path)
    {
        var file = _repos.TryGetValue(repoId, out var repo) && (revision == repo.Commit || revision == "main")
            ? repo.Files.FirstOrDefault(f => f.Path == path && !f.Gone)
            : null;
        if (file is null)
        {
            context.Response.StatusCode = 404;
            context.Response.Headers["X-Error-Code"] = "EntryNotFound";
            return;
        }

        if (file.Lfs)
        {
            var port = context.Request.Host.Port;
            context.Response.Redirect($"http://localhost:{port}/cdn/{file.Sha256}?signature=abc");
            return;
        }

        await ServeAsync(context, file);
    }

    private Task CdnAsync(HttpContext context, string sha256)
    {
        var file = _repos.Values.SelectMany(r => r.Files).FirstOrDefault(f => f.Lfs && f.Sha256 == sha256);
        if (file is null)
        {
            context.Response.StatusCode = 404;
            return Task.CompletedTask;
        }

        return ServeAsync(context, file);
    }

    private async Task ServeAsync(HttpContext context, FakeFile file)
    {
        var content = file.Damaged ? Damage(file.Content) : file.Content;
        var rangeHeader = context.Request.Headers.Range.FirstOrDefault();
        long start = 0;
        if (!file.IgnoreRange && RangeHeaderValue.TryParse(rangeHeader, out var range) && range.Ranges.Single().From is { } from)
        {
            if (from >= content.Length)
            {
                context.Response.StatusCode = 416;
                context.Response.Headers.ContentRange = $"bytes */{content.Length}";
                Served.Enqueue(new ServedFile(file.Path, rangeHeader, context.Request.Headers.Authorization.FirstOrDefault(), 416, 0));
                return;
            }

            start = from;
            context.Response.StatusCode = 206;
            context.Response.Headers.ContentRange = $"bytes {start}-{content.Length - 1}/{content.Length}";
        }

        context.Response.ContentLength = content.Length - start;
        var cutAt = file.CutsLeft > 0 ? file.CutAt : null;
        if (cutAt is not null)
        {
            file.CutsLeft--;
        }

        long sent = 0;
        var position = start;
        try
        {
            while (position < content.Length)
            {
                var end = (int)Math.Min(content.Length, position + Chunk);
                if (cutAt is { } cut && end >= cut)
                {
                    end = (int)Math.Max(cut, position);
                }

                await context.Response.Body.WriteAsync(content.AsMemory((int)position, end - (int)position));
                await context.Response.Body.FlushAsync();
                sent += end - position;
                position = end;
                if (cutAt is { } at && position >= at)
                {
                    context.Abort();
                    return;
                }
            }
        }
        finally
        {
            Served.Enqueue(new ServedFile(file.Path, rangeHeader, context.Request.Headers.Authorization.FirstOrDefault(), context.Response.StatusCode, sent));
        }
    }

    private static byte[] Damage(byte[] content)
    {
        var copy = (byte[])content.Clone();
        copy[copy.Length / 2] ^= 0xFF;
        return copy;
    }
}

/// <summary>A file response: the Range asked for, the Authorization seen, the status and bytes sent.</summary>
internal sealed record ServedFile(string Path, string? Range, string? Authorization, int Status, long Bytes);

internal sealed class FakeRepo(string id)
{
    private readonly List<FakeFile> _files = [];

    public string Id { get; } = id;

    public string Commit { get; } = Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(id)));

    public IReadOnlyList<FakeFile> Files
    {
        get
        {
            lock (_files)
            {
                return [.. _files];
            }
        }
    }

    /// <summary>Adds a file of <paramref name="size"/> pseudo-random bytes (stored in LFS unless <paramref name="lfs"/> is false).</summary>
    public FakeFile Add(string path, int size, bool lfs = true)
    {
        var content = new byte[size];
        new Random(path.GetHashCode(StringComparison.Ordinal)).NextBytes(content);
        return Add(path, content, lfs);
    }

    public FakeFile Add(string path, byte[] content, bool lfs = true)
    {
        var file = new FakeFile(path, content, lfs);
        lock (_files)
        {
            _files.Add(file);
        }

        return file;
    }
}

internal sealed class FakeFile(string path, byte[] content, bool lfs)
{
    public string Path { get; } = path;

    public byte[] Content { get; } = content;

    public bool Lfs { get; } = lfs;

    public string Sha256 { get; } = Convert.ToHexStringLower(SHA256.HashData(content));

    public string GitBlobId { get; } = Convert.ToHexStringLower(SHA1.HashData([.. Encoding.ASCII.GetBytes($"blob {content.Length}\0"), .. content]));

    /// <summary>The file offset at which the next <see cref="CutsLeft"/> responses drop the connection.</summary>
    public long? CutAt { get; set; }

    public int CutsLeft { get; set; }

    /// <summary>Answers every Range request with 200 and the whole file.</summary>
    public bool IgnoreRange { get; set; }

    /// <summary>Listed, but <c>/resolve</c> answers 404 for it.</summary>
    public bool Gone { get; set; }

    /// <summary>Serves the content with one byte flipped: its sha256 no longer matches the listing.</summary>
    public bool Damaged { get; set; }
}
