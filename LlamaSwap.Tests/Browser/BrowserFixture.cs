using LlamaSwap.Tests.EndToEnd;
using LlamaSwap.Tests.Gateway.Metrics.Performance;
using LlamaSwap.Tests.Infrastructure;
using Microsoft.Playwright;

namespace LlamaSwap.Tests.Browser;

/// <summary>
/// The real stack (redis-server, supervisor, gateway, auth proxy, two test-upstream models) and one
/// headless chromium from the OS (Debian's <c>chromium</c> package; Playwright downloads no browser).
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    /// <summary>Overrides the browser binary, for machines where chromium lives elsewhere.</summary>
    public const string ChromiumVariable = "LLAMASWAP_CHROMIUM";

    public const string AlphaReply = "Hello from alpha";
    public const string BetaReply = "Greetings from the beta model";

    /// <summary>Written in bold green by alpha at start: coloured upstream output for the Logs page.</summary>
    public const string AlphaColoredLine = "alpha colours its output";

    /// <summary>
    /// studio's answer: markdown (a heading, emphasis, a code block; <c>\n</c> are line breaks) and
    /// markup that must never run or load (a script, an onerror handler).
    /// </summary>
    public const string StudioReply =
        "Three steps\\n\\n**Bold** text, *emphasis* and `inline code`.\\n\\n```js\\nconst answer = 42;\\n```\\n\\n"
        + "<img src=x onerror=\"window.__xss = 1\"><script>window.__xss = 2</script>";

    private static readonly string[] ChromiumArgs =
    [
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ];

    private readonly FakeGpuTools _gpuTools = new();
    private LlamaSwapStack? _stack;
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    internal LlamaSwapStack Stack => _stack ?? throw new InvalidOperationException("stack not started");

    internal IBrowser Browser => _browser ?? throw new InvalidOperationException("browser not started");

    /// <summary>
    /// Where each test saves its page: <c>artifacts/screenshots/</c>, so a test run never changes
    /// tracked files; with <c>LLAMASWAP_UPDATE_SCREENSHOTS=1</c>, <c>docs/screenshots/</c> (referenced
    /// from the README), to regenerate them on purpose.
    /// </summary>
    internal static string ScreenshotDirectory =>
        Environment.GetEnvironmentVariable("LLAMASWAP_UPDATE_SCREENSHOTS") == "1"
            ? Path.Combine(RepoLayout.Root, "docs", "screenshots")
            : Path.Combine(RepoLayout.Root, "artifacts", "screenshots");

    internal static string Yaml => $$$"""
        healthCheckTimeout: 30
        startPort: {{startPort}}
        captureBuffer: 5
        apiKeys:
          - "{{{LlamaSwapStack.ApiKey}}}"
        models:
          alpha:
            name: Alpha
            description: Test upstream that answers in one piece
            cmd: {{{LlamaSwapStack.UpstreamCommand("alpha", $"--respond '{AlphaReply}' --colored-line '{AlphaColoredLine}'")}}}
          beta:
            name: Beta
            description: Test upstream that streams its answer word by word
            cmd: {{{LlamaSwapStack.UpstreamCommand("beta", $"--respond '{BetaReply}' --chunks 5 --chunk-delay-ms 150")}}}
          studio:
            name: Studio
            description: Test upstream for every playground kind, answering in markdown
            cmd: {{{LlamaSwapStack.UpstreamCommand("studio", $"--respond-unescape --respond '{StudioReply}' --chunks 4 --chunk-delay-ms 100")}}}
            capabilities:
              in: [text, audio]
              out: [text, image, audio]
              reranker: true
        """;

    public async Task InitializeAsync()
    {
        var chromium = Environment.GetEnvironmentVariable(ChromiumVariable) is { Length: > 0 } configured ? configured : "/usr/bin/chromium";
        if (!File.Exists(chromium))
        {
            throw new InvalidOperationException(
                $"The browser tests need chromium at {chromium} and it is not there. Install Debian's package "
                + $"(apt-get install -y chromium; test.sh does it) or point {ChromiumVariable} at a chromium binary.");
        }

        // A fake rocm-smi printing a recorded two-GPU machine: the Performance and Hardware pages have GPUs to show.
        _gpuTools.Prints("rocm-smi", Recordings.RocmTwoGpus);
        _stack = await LlamaSwapStack.StartAsync(Yaml, portCount: 4, new Dictionary<string, string>
        {
            ["Performance__ToolPath"] = _gpuTools.Bin,
            ["Performance__SysfsRoot"] = _gpuTools.Sysfs,
        });
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = chromium,
            Headless = true,
            Args = ChromiumArgs,
        });

        // The machine is small and shared: generous deadlines, every wait still bounded.
        Assertions.SetDefaultExpectTimeout(20_000);
        Directory.CreateDirectory(ScreenshotDirectory);
    }

    /// <summary>
    /// A fresh browser context (own cookies, cache and credentials) with one page. Through the auth
    /// proxy the context answers its Basic challenge with the stack's key, as a user would in the prompt.
    /// </summary>
    internal async Task<BrowserSession> OpenAsync(bool throughAuthProxy)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = throughAuthProxy ? Stack.FrontDoor : Stack.Gateway.Url,
            HttpCredentials = throughAuthProxy ? new HttpCredentials { Username = "ui", Password = LlamaSwapStack.ApiKey } : null,
            ViewportSize = new ViewportSize { Width = 1280, Height = 800 },
            ColorScheme = ColorScheme.Light,
        });
        context.SetDefaultTimeout(30_000);
        context.SetDefaultNavigationTimeout(30_000);
        return new BrowserSession(context, await context.NewPageAsync());
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
        if (_stack is not null)
        {
            await _stack.DisposeAsync();
        }

        _gpuTools.Dispose();
    }
}
