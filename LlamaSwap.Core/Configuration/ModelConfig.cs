namespace LlamaSwap.Core.Configuration;

/// <summary>One model's effective settings after macro expansion and defaulting.</summary>
public sealed record ModelConfig
{
    /// <summary>
    /// The model <c>/comfyui</c> serves (llama-swap's <c>config.ComfyUIModelID</c>): its websockets never
    /// start or pin it, and its concurrency limit is at least <see cref="ComfyUiMinConcurrencyLimit"/>.
    /// </summary>
    public const string ComfyUiModelId = "comfyui_auto";

    /// <summary>ComfyUI's page loads many assets at once; llama-swap raises the model's limit to this.</summary>
    public const int ComfyUiMinConcurrencyLimit = 50;

    public required string Id { get; init; }

    /// <summary>The expanded command line as text (comment lines removed, continuations joined), shown by <c>/running</c>.</summary>
    public required string CmdText { get; init; }

    /// <summary>argv split with POSIX shell-word rules; never empty for a valid config.</summary>
    public required IReadOnlyList<string> Command { get; init; }

    /// <summary>argv of <c>cmdStop</c>, words may still contain <c>${PID}</c>; null when not configured.</summary>
    public IReadOnlyList<string>? StopCommand { get; init; }

    /// <summary>Upstream base URL, e.g. <c>http://localhost:5800</c>.</summary>
    public required Uri Proxy { get; init; }

    public IReadOnlyList<string> Aliases { get; init; } = [];

    /// <summary><c>NAME=value</c> pairs appended to the inherited environment, in order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Env { get; init; } = [];

    /// <summary>Health path, or null when <c>checkEndpoint: none</c>.</summary>
    public string? CheckEndpoint { get; init; } = "/health";

    /// <summary>Effective idle TTL in seconds (0 = never unload).</summary>
    public int TtlSeconds { get; init; }

    /// <summary>Effective graceful-stop seconds before SIGKILL.</summary>
    public int UnloadTimeoutSeconds { get; init; } = 10;

    /// <summary>Copied from the global setting.</summary>
    public int HealthCheckTimeoutSeconds { get; init; } = 120;

    public string? UseModelName { get; init; }

    public bool Unlisted { get; init; }

    public string? Name { get; init; }

    public string? Description { get; init; }

    /// <summary>Effective limit of admitted requests (queued + serving); default 10.</summary>
    public int ConcurrencyLimit { get; init; } = 10;

    public bool? SendLoadingState { get; init; }

    /// <summary>
    /// <c>forwardClientAuth</c>: whether the client's <c>Authorization</c> and <c>x-api-key</c> reach
    /// this model's upstream; null = the global setting (<see cref="LlamaSwapConfig.ForwardClientAuth"/>).
    /// </summary>
    public bool? ForwardClientAuth { get; init; }

    /// <summary><c>filters</c>: request-body edits applied by the gateway.</summary>
    public ModelFilters Filters { get; init; } = ModelFilters.None;

    /// <summary>User <c>metadata</c>, macros expanded and typed; shown in <c>/v1/models</c>. Read only: shared by all requests.</summary>
    public System.Text.Json.Nodes.JsonObject? Metadata { get; init; }

    /// <summary><c>capabilities</c>; null when absent or all-default.</summary>
    public ModelCapabilities? Capabilities { get; init; }

    /// <summary><c>timeouts</c>: the gateway's connection settings for this model's upstream.</summary>
    public UpstreamTimeouts Timeouts { get; init; } = new();

    /// <summary>
    /// <c>compat.ignoreWebsockets</c>: websocket upgrades go straight to a ready upstream without a
    /// lease, and are refused (409) rather than starting the model (reference 3.11).
    /// </summary>
    public bool IgnoreWebsockets { get; init; }

    /// <summary>
    /// The upstream speaks only the OpenAI API: the gateway translates Anthropic <c>/v1/messages</c>
    /// requests to chat completions (and the responses back) instead of forwarding them as-is.
    /// </summary>
    public bool OpenAiOnly { get; init; }

    /// <summary>
    /// Set when the model loaded but cannot run (e.g. its proxy needs <c>${PORT}</c> that its cmd
    /// lacks): requests for it fail with this reason instead of the whole config being refused.
    /// </summary>
    public string? DisabledReason { get; init; }
}
