using LlamaSwap.Cli.Download;

namespace LlamaSwap.Tests.Cli.Download;

/// <summary>A fake hub and a scratch models folder; runs <c>llamaswap download</c> against them.</summary>
internal sealed class DownloadHarness : IAsyncDisposable
{
    public const string Token = "hf_test_token";

    private DownloadHarness(FakeHub hub, string root)
    {
        Hub = hub;
        Root = root;
    }

    public FakeHub Hub { get; }

    /// <summary>The models root (what <c>~/models</c> is outside tests).</summary>
    public string Root { get; }

    public static async Task<DownloadHarness> StartAsync()
        => new(await FakeHub.StartAsync(), Directory.CreateTempSubdirectory("llamaswap-download-").FullName);

    public DownloadContext Context(int maxAttempts = 1) => new()
    {
        Hub = new HubSettings(new Uri(Hub.Url), Token),
        ModelsRoot = Root,
        MaxAttempts = maxAttempts,
        RetryDelay = TimeSpan.Zero,
        StallTimeout = TimeSpan.FromSeconds(20),
    };

    public async Task<RunResult> RunAsync(params string[] args) => await RunAsync(Context(), args);

    public static async Task<RunResult> RunAsync(DownloadContext context, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await DownloadCommand.RunAsync(args, output, error, context, CancellationToken.None);
        return new RunResult(exit, output.ToString(), error.ToString());
    }

    public string PathOf(string repoFolder, string file) => Path.Combine(Root, repoFolder, file);

    public ValueTask DisposeAsync()
    {
        Directory.Delete(Root, recursive: true);
        return Hub.DisposeAsync();
    }
}

internal sealed record RunResult(int ExitCode, string Output, string Error)
{
    public override string ToString() => $"exit {ExitCode}\n--- output\n{Output}\n--- error\n{Error}";
}
