using LlamaSwap.Core.Configuration.Yaml;

namespace LlamaSwap.Core.Configuration.Loading;

/// <summary>
/// The keys each section supports. Keys llama-swap knows but this project does not implement yet
/// are listed separately so the warning tells the user the key is not a typo.
/// </summary>
internal static class KnownKeys
{
    public static readonly KeySet TopLevel = new(
        ["healthCheckTimeout", "logLevel", "logTimeFormat", "logToStdout", "startPort", "globalTTL", "unloadTimeout",
         "sendLoadingState", "includeAliasesInList", "apiKeys", "macros", "models", "groups", "hooks", "routing", "peers",
         "matrix", "upstream", "profiles", "selectors", "metricsMaxInMemory", "captureBuffer", "ui", "performance",
         "logRequests", "forwardClientAuth", "store"],
        []);

    public static readonly KeySet Model = new(
        ["cmd", "cmdStop", "proxy", "aliases", "env", "checkEndpoint", "ttl", "unloadTimeout", "useModelName",
         "unlisted", "name", "description", "concurrencyLimit", "sendLoadingState", "macros",
         "openaiOnly", "filters", "metadata", "capabilities", "timeouts", "compat", "forwardClientAuth"],
        []);

    public static readonly KeySet Filters = new(["stripParams", "strip_params", "setParams", "setParamsByID"], []);

    public static readonly KeySet Profile = new(["description", "pins"], []);

    public static readonly KeySet Selector = new(["strategy", "targets", "settings", "name", "description", "unlisted", "metadata"], []);

    public static readonly KeySet SelectorSettings = new(["spillover"], []);

    public static readonly KeySet Peer = new(["proxy", "apiKey", "models", "filters", "timeouts"], []);

    public static readonly KeySet PeerTimeouts = new(["connect", "keepalive", "responseHeader", "tlsHandshake", "idleConn"], []);

    public static readonly KeySet ModelTimeouts = new(
        ["connect", "keepalive", "responseHeader", "tlsHandshake", "expectContinue", "idleConn"], []);

    public static readonly KeySet Compat = new(["ignoreWebsockets"], []);

    public static readonly KeySet Upstream = new(["ignorePaths"], []);

    public static readonly KeySet Capabilities = new(["in", "out", "tools", "reranker", "context"], []);

    public static readonly KeySet Group = new(["swap", "exclusive", "persistent", "members"], []);

    public static readonly KeySet Hooks = new(["on_startup"], []);

    public static readonly KeySet Routing = new(["scheduler", "router"], []);

    public static readonly KeySet Router = new(["use", "settings"], []);

    public static readonly KeySet RouterSettings = new(["groups", "matrix"], []);

    public static readonly KeySet Matrix = new(["vars", "evict_costs", "sets"], []);

    public static readonly KeySet Scheduler = new(["use", "settings"], []);

    public static readonly KeySet SchedulerSettings = new(["fifo"], []);

    public static readonly KeySet Fifo = new(["priority", "maxWait", "minLoaded"], []);

    public static readonly KeySet Ui = new(["activity"], []);

    public static readonly KeySet UiActivity = new(["session_id"], []);

    public static readonly KeySet Performance = new(["disabled", "every"], []);

    public static readonly KeySet Store = new(["path"], []);

    public static readonly KeySet OnStartup = new(["preload"], []);

    /// <summary>One warning per key that is not supported, naming its path and line, with the valid key it is nearest to.</summary>
    public static void WarnAboutIgnoredKeys(MappingNode mapping, string path, KeySet keys, DiagnosticBag diagnostics)
    {
        foreach (var entry in mapping.Entries)
        {
            if (keys.Supported.Contains(entry.Key))
            {
                continue;
            }

            var message = keys.NotYetSupported.Contains(entry.Key)
                ? $"\"{entry.Key}\" at {entry.KeySpan.Describe()} is not supported yet (ignored)"
                : $"{UnknownKey(entry, keys.Ordered)}; ignored";
            diagnostics.Warning(ConfigPath.Child(path, entry.Key), message);
        }
    }

    /// <summary><c>unknown key "modles" at line 1 (did you mean "models"?)</c>; the suggestion only when a valid key is near.</summary>
    public static string UnknownKey(MappingEntry entry, IEnumerable<string> validKeys)
        => KeySuggestion.For(entry.Key, validKeys) is { } suggestion
            ? $"unknown key \"{entry.Key}\" at {entry.KeySpan.Describe()} (did you mean \"{suggestion}\"?)"
            : $"unknown key \"{entry.Key}\" at {entry.KeySpan.Describe()}";

    internal sealed class KeySet(IReadOnlyList<string> supported, IEnumerable<string> notYetSupported)
    {
        public IReadOnlySet<string> Supported { get; } = new HashSet<string>(supported, StringComparer.Ordinal);

        /// <summary>The supported keys in their declared order, so a tie between two suggestions always goes the same way.</summary>
        public IReadOnlyList<string> Ordered { get; } = supported;

        public IReadOnlySet<string> NotYetSupported { get; } = new HashSet<string>(notYetSupported, StringComparer.Ordinal);
    }
}
