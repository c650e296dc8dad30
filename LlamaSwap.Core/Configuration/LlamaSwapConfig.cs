using LlamaSwap.Core.Configuration.Matrix;

namespace LlamaSwap.Core.Configuration;

/// <summary>
/// A validated, fully expanded llama-swap configuration (macros substituted, ports assigned,
/// defaults applied). Produced only by <see cref="ConfigLoader"/>; immutable.
/// </summary>
public sealed record LlamaSwapConfig
{
    /// <summary>Seconds a model may take to become healthy (values below 15 are raised to 15).</summary>
    public int HealthCheckTimeoutSeconds { get; init; } = 120;

    /// <summary>debug | info | warn | error.</summary>
    public string LogLevel { get; init; } = "info";

    /// <summary>Go time-layout name for log timestamps (e.g. <c>rfc3339</c>), or null for no timestamps.</summary>
    public string? LogTimeFormat { get; init; }

    /// <summary>What is copied to stdout: proxy | upstream | both | none.</summary>
    public string LogToStdout { get; init; } = "proxy";

    /// <summary>Activity, captures, UI and system-monitor settings.</summary>
    public ObservabilityConfig Observability { get; init; } = new();

    public int StartPort { get; init; } = 5800;

    public int GlobalTtlSeconds { get; init; }

    public int UnloadTimeoutSeconds { get; init; } = 10;

    public bool SendLoadingState { get; init; }

    /// <summary>
    /// <c>forwardClientAuth</c> (default false): whether the client's <c>Authorization</c> and
    /// <c>x-api-key</c> reach upstreams (models without their own setting, and peers without an
    /// <c>apiKey</c>). Off, because the key a client presents is normally this server's own secret.
    /// </summary>
    public bool ForwardClientAuth { get; init; }

    public bool IncludeAliasesInList { get; init; }

    /// <summary>The plain-string entries of <c>apiKeys</c>: full-access keys (empty with no key objects = auth off).</summary>
    public IReadOnlyList<string> ApiKeys { get; init; } = [];

    /// <summary>Every entry of <c>apiKeys</c>, plain strings as unrestricted keys, in config order.</summary>
    public IReadOnlyList<ApiKeyConfig> KeyDefinitions { get; init; } = [];

    /// <summary>Models by ID, in ordinal ID order.</summary>
    public IReadOnlyDictionary<string, ModelConfig> Models { get; init; } = new Dictionary<string, ModelConfig>();

    /// <summary><c>routing.router.use</c> (or which legacy key is used): <see cref="RouterNames.Group"/> or <see cref="RouterNames.Matrix"/>.</summary>
    public string Router { get; init; } = RouterNames.Group;

    /// <summary>The compiled matrix when <see cref="Router"/> is matrix; null otherwise.</summary>
    public MatrixProgram? Matrix { get; init; }

    /// <summary>
    /// Groups by ID, including the implicit <c>(default)</c> group when any model is ungrouped. Under
    /// the matrix router every model is in that implicit group, which then decides nothing.
    /// </summary>
    public IReadOnlyDictionary<string, GroupConfig> Groups { get; init; } = new Dictionary<string, GroupConfig>();

    /// <summary><c>hooks.on_startup.preload</c> resolved to real model IDs (unknown names dropped).</summary>
    public IReadOnlyList<string> Preload { get; init; } = [];

    /// <summary><c>routing.scheduler.settings.fifo</c>.</summary>
    public SchedulerConfig Scheduler { get; init; } = new();

    /// <summary>Alias -> real model ID (case-sensitive).</summary>
    public IReadOnlyDictionary<string, string> Aliases { get; init; } = new Dictionary<string, string>();

    /// <summary><c>peers</c>: remote servers and the names their models answer to (reference 1.8).</summary>
    public PeerSet Peers { get; init; } = PeerSet.Empty;

    /// <summary><c>selectors</c> by ID (reference 1.10): virtual model IDs resolved per request.</summary>
    public IReadOnlyDictionary<string, SelectorConfig> Selectors { get; init; } = new Dictionary<string, SelectorConfig>();

    /// <summary><c>profiles</c> by ID (reference 1.9); none is active until one is chosen through the API.</summary>
    public IReadOnlyDictionary<string, ProfileConfig> Profiles { get; init; } = new Dictionary<string, ProfileConfig>();

    /// <summary>
    /// <c>upstream.ignorePaths</c>: paths after <c>/upstream/&lt;model&gt;</c> that never start a model
    /// (reference 2.5); the default pattern when not configured.
    /// </summary>
    public IReadOnlyList<System.Text.RegularExpressions.Regex> UpstreamIgnorePaths { get; init; } = Loading.UpstreamReader.DefaultIgnorePaths;

    /// <summary>
    /// The peer model a requested name reaches (FQN, or a bare ID only one peer lists), or null.
    /// Local models and aliases win: a name <see cref="ResolveModelId"/> knows never goes to a peer.
    /// </summary>
    public PeerModel? ResolvePeer(string requested) => ResolveModelId(requested) is null ? Peers.Find(requested) : null;

    /// <summary>Resolves a requested name (model ID or alias) to a real model ID, or null.</summary>
    public string? ResolveModelId(string name)
    {
        if (Models.ContainsKey(name))
        {
            return name;
        }

        return Aliases.TryGetValue(name, out var id) ? id : null;
    }

    /// <summary>The group the model belongs to (every model belongs to exactly one).</summary>
    public GroupConfig GroupOf(string modelId)
    {
        foreach (var group in Groups.Values)
        {
            if (group.Members.Contains(modelId))
            {
                return group;
            }
        }

        throw new KeyNotFoundException($"model '{modelId}' is in no group");
    }
}
