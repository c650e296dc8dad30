namespace LlamaSwap.Core.Configuration;

/// <summary>
/// What the gateway records about requests and the machine (reference 1.3): activity rows, captures,
/// the UI's session columns and the system monitor.
/// </summary>
public sealed record ObservabilityConfig
{
    public const int DefaultMetricsMaxInMemory = 1000;

    public const int DefaultCaptureBufferMegabytes = 5;

    public static readonly IReadOnlyList<string> DefaultSessionIdHeaders = ["X-Session-ID", "X-Litellm-Session-Id"];

    public static readonly TimeSpan DefaultPerformanceEvery = TimeSpan.FromSeconds(5);

    /// <summary><c>metricsMaxInMemory</c>: activity rows kept (oldest pruned first); values &lt;= 0 mean the default.</summary>
    public int MetricsMaxInMemory { get; init; } = DefaultMetricsMaxInMemory;

    /// <summary><c>captureBuffer</c>: megabytes of request/response captures kept; 0 disables captures.</summary>
    public int CaptureBufferMegabytes { get; init; } = DefaultCaptureBufferMegabytes;

    /// <summary><c>ui.activity.session_id</c>: header names the UI shows as the session column (empty = none).</summary>
    public IReadOnlyList<string> SessionIdHeaders { get; init; } = DefaultSessionIdHeaders;

    /// <summary><c>performance.disabled</c>: no system monitor (<c>/metrics</c>' system part and <c>/api/performance</c> answer 503).</summary>
    public bool PerformanceDisabled { get; init; }

    /// <summary><c>performance.every</c>: how often system statistics are sampled (at least 5 s).</summary>
    public TimeSpan PerformanceEvery { get; init; } = DefaultPerformanceEvery;

    /// <summary><c>store.path</c>: the SQLite file activity rows and captures are kept in; null keeps them in memory.</summary>
    public string? StorePath { get; init; }

    public long CaptureBufferBytes => CaptureBufferMegabytes * 1024L * 1024L;
}
