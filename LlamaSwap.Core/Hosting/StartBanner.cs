using System.Text;
using LlamaSwap.Core.Configuration;

namespace LlamaSwap.Core.Hosting;

/// <summary>
/// What a user needs once the front door answers: its URLs, a request to copy that works as
/// printed, and a loud line when anyone who can reach the front door can use it. The AppHost and
/// the <c>llamaswap</c> CLI both print this.
/// </summary>
public sealed record StartBanner
{
    /// <summary>How a local client reaches the front door, e.g. <c>http://localhost:3000</c>.</summary>
    public required string FrontDoor { get; init; }

    public required string Gateway { get; init; }

    public required string Supervisor { get; init; }

    public required string Redis { get; init; }

    public required string ConfigSource { get; init; }

    public bool IsDemo { get; init; }

    /// <summary>Whether the front door refused a request without a key (asked of it, not guessed).</summary>
    public bool NeedsKey { get; init; }

    /// <summary>The front door listens on loopback only.</summary>
    public bool LoopbackOnly { get; init; }

    /// <summary>PEM certificate of an HTTPS front door: the example passes it to curl.</summary>
    public string? TlsCertFile { get; init; }

    /// <summary>Extra "name: value" rows (the dashboard, the log file).</summary>
    public IReadOnlyList<(string Name, string Value)> Extra { get; init; } = [];

    public string? ExampleModel { get; init; }

    public string Render(string stopHint = "Press Ctrl+C to stop.")
    {
        var rows = new List<(string Name, string Value)>
        {
            ("front door (OpenAI API)", FrontDoor + "/v1"),
            ("web UI", FrontDoor + "/ui"),
        };
        rows.AddRange(Extra);
        rows.Add(("gateway (llama-swap API)", Gateway));
        rows.Add(("supervisor (internal)", Supervisor));
        rows.Add(("redis", Redis));
        rows.Add(("config", ConfigSource + (IsDemo ? " (demo)" : "")));
        var width = rows.Max(r => r.Name.Length) + 1;

        var text = new StringBuilder().AppendLine().AppendLine($"LlamaSwap is running. {stopHint}");
        foreach (var (name, value) in rows)
        {
            text.AppendLine($"  {(name + ":").PadRight(width)} {value}");
        }

        if (!NeedsKey)
        {
            text.AppendLine()
                .AppendLine(LoopbackOnly
                    ? "  Note: no API keys are configured; the front door is reachable from this machine only."
                    : "  WARNING: no API keys are configured and the front door listens on every interface:")
                .AppendLine(LoopbackOnly
                    ? "        add apiKeys to the config (or API_KEYS) before opening it to a network."
                    : "  anyone who can reach this port can use every model. Add apiKeys to the config (or API_KEYS).");
        }

        var auth = NeedsKey ? " -H \"Authorization: Bearer $API_KEY\"" : "";
        var tls = TlsCertFile is { } cert ? $" --cacert {ShellQuote(cert)}" : "";
        var model = ExampleModel ?? "MODEL";
        text.AppendLine()
            .AppendLine("Try:");
        if (NeedsKey)
        {
            text.AppendLine("  export API_KEY=<one of your keys>");
        }

        return text
            .AppendLine($"  curl -N{tls} {FrontDoor}/v1/chat/completions{auth} -H \"Content-Type: application/json\" \\")
            .AppendLine($"    -d '{{\"model\":\"{model}\",\"stream\":true,\"messages\":[{{\"role\":\"user\",\"content\":\"Hello!\"}}]}}'")
            .AppendLine($"  curl{tls} {FrontDoor}/v1/models{auth}")
            .AppendLine()
            .ToString();
    }

    /// <summary>The first listed model of a config, for the example; null when it cannot be read (the services report why).</summary>
    public static string? FirstModel(string? configPath, string? configDir)
    {
        try
        {
            var config = ConfigLoader.LoadFiles(configPath is { Length: > 0 } ? configPath : null, configDir).Config;
            return config?.Models.Values.FirstOrDefault(m => !m.Unlisted)?.Id;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            return null;
        }
    }

    public static string DescribeConfig(string? configPath, string? configDir) => (configPath is { Length: > 0 }, configDir) switch
    {
        (true, null) => configPath!,
        (true, { } dir) => $"{configPath} + {dir}/*.yaml",
        (false, { } dir) => $"{dir}/*.yaml",
        _ => "(none)",
    };

    private static string ShellQuote(string word) => word.All(c => char.IsLetterOrDigit(c) || c is '/' or '.' or '-' or '_')
        ? word
        : "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
