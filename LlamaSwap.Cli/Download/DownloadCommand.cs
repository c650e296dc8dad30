using System.Reflection;

namespace LlamaSwap.Cli.Download;

/// <summary>
/// <c>llamaswap download</c>: fetches a Hugging Face repository's files (or the seed stack's four
/// models) for llama-server, resumably and hash-checked. Replaces the seed stack's
/// <c>download-model.sh</c> and <c>download-default-models.sh</c>.
/// </summary>
internal static class DownloadCommand
{
    private const string Prefix = "llamaswap download: ";

    /// <summary>Runs the command; <paramref name="args"/> are the words after <c>download</c>. Exit code 0 ok, 1 failure, 2 usage error.</summary>
    public static Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var context = DownloadContext.FromEnvironment(output, out var problem);
        if (problem is not null)
        {
            error.WriteLine(Prefix + problem);
            return Task.FromResult(2);
        }

        return RunAsync(args, output, error, context, cancellationToken);
    }

    internal static async Task<int> RunAsync(
        IReadOnlyList<string> args, TextWriter output, TextWriter error, DownloadContext context, CancellationToken cancellationToken)
    {
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        var parsed = DownloadArguments.Parse(args, home, out var problem);
        if (parsed is null)
        {
            error.WriteLine(Prefix + problem);
            error.WriteLine(DownloadArguments.Usage);
            return 2;
        }

        if (parsed.Help)
        {
            output.WriteLine(DownloadArguments.Usage);
            return 0;
        }

        using var http = CreateHttpClient(context);
        var repos = new RepoDownloader(new HubClient(http, context.Hub), context, output);
        try
        {
            return parsed.DefaultModels
                ? await DownloadDefaultsAsync(repos, parsed.Dir ?? context.ModelsRoot, output, error, cancellationToken)
                : await DownloadOneAsync(repos, parsed, context, cancellationToken);
        }
        catch (DownloadException ex)
        {
            error.WriteLine(Prefix + ex.Message);
            return ex.ExitCode;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            error.WriteLine(Prefix + "interrupted; partial downloads stay as .part files: run the same command again to resume");
            return 1;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            error.WriteLine(Prefix + ex.Message); // the local disk: full, read-only, locked by another run
            return 1;
        }
    }

    private static async Task<int> DownloadOneAsync(RepoDownloader repos, DownloadArguments arguments, DownloadContext context, CancellationToken cancellationToken)
    {
        var repo = arguments.Repo!;
        var directory = arguments.Dir ?? Path.Combine(context.ModelsRoot, DefaultModels.FolderName(repo));
        await repos.DownloadAsync(repo, arguments.Revision, arguments.Includes.Select(PathGlob.Parse).ToList(), directory, cancellationToken);
        return 0;
    }

    // One model failing does not stop the others; the exit code says something failed.
    private static async Task<int> DownloadDefaultsAsync(RepoDownloader repos, string root, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var failed = new List<string>();
        foreach (var model in DefaultModels.All)
        {
            var directory = model.Folder(root);
            try
            {
                await repos.DownloadAsync(model.Repo, "main", model.Include.Select(PathGlob.Parse).ToList(), directory, cancellationToken);
                var entry = Path.Combine(directory, model.ModelFile);
                if (!File.Exists(entry))
                {
                    // The repository is named right but its files are not: the example config would not start it.
                    error.WriteLine($"{Prefix}{model.Name}: {entry} is not among the files downloaded; examples/seed-models.yaml expects it");
                    failed.Add(model.Name);
                }
            }
            catch (DownloadException ex)
            {
                error.WriteLine($"{Prefix}{model.Name}: {ex.Message}");
                failed.Add(model.Name);
            }
        }

        output.WriteLine(failed.Count == 0
            ? $"default models complete in {root}"
            : $"default models: {failed.Count} of {DefaultModels.All.Count} failed ({string.Join(", ", failed)})");
        return failed.Count == 0 ? 0 : 1;
    }

    private static HttpClient CreateHttpClient(DownloadContext context)
    {
        // Redirects are followed by HubClient (the token must not follow them to the CDN); no
        // decompression, so the bytes written are the bytes hashed.
        var handler = context.Handler ?? new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            AutomaticDecompression = System.Net.DecompressionMethods.None,
            ConnectTimeout = TimeSpan.FromSeconds(30),
        };
        var http = new HttpClient(handler, disposeHandler: context.Handler is null) { Timeout = Timeout.InfiniteTimeSpan };
        var version = typeof(DownloadCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0";
        http.DefaultRequestHeaders.UserAgent.ParseAdd($"llamaswap/{version.Split('+')[0]}");
        return http;
    }
}
