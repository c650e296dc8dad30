using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace LlamaSwap.Cli.Download;

/// <summary>
/// The two Hugging Face Hub calls the downloader needs. Listing uses
/// <c>/api/models/{repo}/revision/{rev}?blobs=true</c> rather than the tree API: one unpaginated
/// answer with the commit id (downloads are pinned to it, so a push during a long download cannot
/// mix two versions), each file's size and its LFS sha256 or git blob id. Files come from
/// <c>/{repo}/resolve/{commit}/{path}</c>, which redirects large files to a CDN.
/// </summary>
internal sealed partial class HubClient(HttpClient http, HubSettings settings)
{
    private const int MaxRedirects = 10;

    public Uri Endpoint => settings.Endpoint;

    /// <summary>The page of a repository, for messages.</summary>
    public string RepoPage(string repo) => Base + "/" + repo;

    private string Base => settings.Endpoint.AbsoluteUri.TrimEnd('/');

    public async Task<RepoSnapshot> GetSnapshotAsync(string repo, string revision, CancellationToken cancellationToken)
    {
        var uri = new Uri($"{Base}/api/models/{EscapeRepo(repo)}/revision/{Uri.EscapeDataString(revision)}?blobs=true");
        using var response = await SendAsync(uri, offset: 0, cancellationToken);
        if ((int)response.StatusCode is 408 or 429 or >= 500)
        {
            throw new TransferInterruptedException($"{uri.Host} answered {(int)response.StatusCode} {response.ReasonPhrase} listing {repo}");
        }

        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new DownloadException(await DescribeFailureAsync(response, repo, revision, cancellationToken));
        }

        HubRevision? info;
        try
        {
            info = await response.Content.ReadFromJsonAsync(HubJson.Default.HubRevision, cancellationToken);
        }
        catch (JsonException ex)
        {
            throw new DownloadException($"{uri} did not answer with a repository listing: {ex.Message}");
        }

        return ToSnapshot(repo, revision, info, uri);
    }

    /// <summary>
    /// GETs a file from <paramref name="offset"/> on, following redirects; the caller reads and disposes
    /// the response (200, 206 or 416). Failures that a retry may cure throw <see cref="TransferInterruptedException"/>.
    /// </summary>
    public async Task<HttpResponseMessage> GetFileAsync(RepoSnapshot snapshot, RepoFile file, long offset, CancellationToken cancellationToken)
    {
        var path = string.Join('/', file.Path.Split('/').Select(Uri.EscapeDataString));
        var uri = new Uri($"{Base}/{EscapeRepo(snapshot.Repo)}/resolve/{Uri.EscapeDataString(snapshot.Commit)}/{path}");
        var response = await SendAsync(uri, offset, cancellationToken);
        if (response.StatusCode is HttpStatusCode.OK or HttpStatusCode.PartialContent or HttpStatusCode.RequestedRangeNotSatisfiable)
        {
            return response;
        }

        using (response)
        {
            var status = (int)response.StatusCode;
            var message = $"{file.Path}: {response.RequestMessage?.RequestUri?.Host} answered {status} {response.ReasonPhrase}";
            if (status is 408 or 429 or >= 500)
            {
                throw new TransferInterruptedException(message);
            }

            throw new DownloadException(message + HubErrorSuffix(response));
        }
    }

    // Redirects are followed here, not by the handler, so the token goes only to the hub's own host:
    // a CDN's signed URL must not receive it (and some refuse a request carrying two credentials).
    private async Task<HttpResponseMessage> SendAsync(Uri uri, long offset, CancellationToken cancellationToken)
    {
        for (var hop = 0; ; hop++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, uri);
            if (settings.Token is not null && SameOrigin(uri, settings.Endpoint))
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", settings.Token);
            }

            if (offset > 0)
            {
                request.Headers.Range = new RangeHeaderValue(offset, null);
            }

            HttpResponseMessage response;
            try
            {
                response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            }
            catch (HttpRequestException ex)
            {
                throw new TransferInterruptedException($"cannot reach {uri.Host}: {ex.Message}", ex);
            }

            if (!IsRedirect(response.StatusCode))
            {
                return response;
            }

            using (response)
            {
                if (response.Headers.Location is not { } location)
                {
                    throw new DownloadException($"{uri} redirected ({(int)response.StatusCode}) without a Location");
                }

                if (hop == MaxRedirects)
                {
                    throw new DownloadException($"{uri}: more than {MaxRedirects} redirects");
                }

                uri = location.IsAbsoluteUri ? location : new Uri(uri, location);
            }
        }
    }

    private RepoSnapshot ToSnapshot(string repo, string revision, HubRevision? info, Uri uri)
    {
        if (info?.Siblings is not { } siblings)
        {
            throw new DownloadException($"{uri} listed no files");
        }

        var files = new List<RepoFile>(siblings.Count);
        foreach (var sibling in siblings)
        {
            var size = sibling.Lfs?.Size ?? sibling.Size;
            if (sibling.Rfilename is not { Length: > 0 } path || size is not { } length)
            {
                throw new DownloadException($"{uri} listed a file without a name or size");
            }

            files.Add(new RepoFile(path, length, sibling.Lfs?.Sha256?.ToLowerInvariant(), sibling.BlobId?.ToLowerInvariant()));
        }

        // Without the commit id the revision itself is used: still correct, only not pinned.
        return new RepoSnapshot(repo, info.Sha is { Length: > 0 } sha ? sha : revision, files);
    }

    private static string EscapeRepo(string repo) => string.Join('/', repo.Split('/').Select(Uri.EscapeDataString));

    private static bool IsRedirect(HttpStatusCode status)
        => status is HttpStatusCode.MovedPermanently or HttpStatusCode.Found or HttpStatusCode.SeeOther
            or HttpStatusCode.TemporaryRedirect or HttpStatusCode.PermanentRedirect;

    private static bool SameOrigin(Uri a, Uri b)
        => a.Scheme == b.Scheme && string.Equals(a.Host, b.Host, StringComparison.OrdinalIgnoreCase) && a.Port == b.Port;
}
