namespace LlamaSwap.Cli.Download;

/// <summary>Everything a download run takes from its surroundings, so tests can supply their own.</summary>
internal sealed record DownloadContext
{
    public required HubSettings Hub { get; init; }

    /// <summary>Where a repository goes without <c>--dir</c>: <c>&lt;ModelsRoot&gt;/&lt;repo-name&gt;</c> (default <c>~/models</c>).</summary>
    public required string ModelsRoot { get; init; }

    /// <summary>The HTTP handler; null for a <see cref="SocketsHttpHandler"/> that does not follow redirects itself.</summary>
    public HttpMessageHandler? Handler { get; init; }

    public TimeProvider Clock { get; init; } = TimeProvider.System;

    public ProgressOutput Progress { get; init; } = ProgressOutput.Plain;

    /// <summary>Tries per file (and per listing) before giving up; the <c>.part</c> stays for the next run.</summary>
    public int MaxAttempts { get; init; } = 5;

    /// <summary>Wait before the first retry, doubled for each further one (at most a minute).</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>A connection that delivers nothing for this long counts as cut.</summary>
    public TimeSpan StallTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Free bytes on the file system of an existing folder.</summary>
    public Func<string, long> FreeSpace { get; init; } = static folder => new DriveInfo(folder).AvailableFreeSpace;

    /// <summary>The real environment: <c>HF_*</c> variables, <c>~/models</c>, the console.</summary>
    public static DownloadContext FromEnvironment(TextWriter output, out string? error)
    {
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return new DownloadContext
        {
            Hub = HubSettings.FromEnvironment(Environment.GetEnvironmentVariable, home, out error),
            ModelsRoot = Path.Combine(home, "models"),
            Progress = ProgressOutput.For(output),
        };
    }
}
