using System.Text;

namespace LlamaSwap.Core.Hosting;

/// <summary>
/// The config served when no <c>--config</c> is given: test upstreams instead of real model servers,
/// laid out to show swapping (one exclusive group of three) next to a model that stays loaded.
/// </summary>
public static class DemoConfig
{
    public const string UpstreamProjectDirectory = "tools/LlamaSwap.TestUpstream";
    public const string FileName = "demo-config.yaml";

    private static readonly (string Id, string Reply, string? Alias)[] SwapModels =
    [
        ("demo-small", "Hi! I am demo-small, the quick little demo model behind LlamaSwap.", "gpt-4o-mini"),
        ("demo-medium", "Hello from demo-medium: loading me swapped out the other demo models.", null),
        ("demo-large", "Greetings from demo-large, the biggest (pretend) model in this demo.", null),
    ];

    private static readonly (string Id, string Reply) PersistentModel =
        ("demo-embed", "demo-embed here: I stay loaded while the others swap.");

    /// <summary>Writes the demo config into <paramref name="directory"/> and returns its path.</summary>
    public static string Write(string directory, string upstreamDll)
    {
        var path = Path.Combine(directory, FileName);
        File.WriteAllText(path, Render(upstreamDll));
        return path;
    }

    public static string Render(string upstreamDll)
    {
        var yaml = new StringBuilder()
            .AppendLine("# Demo configuration written by LlamaSwap because no --config was given.")
            .AppendLine("# Every model is the test upstream (tools/LlamaSwap.TestUpstream) answering a fixed line.")
            .AppendLine("healthCheckTimeout: 60")
            .AppendLine("startPort: 5800")
            .AppendLine("models:");

        foreach (var (id, reply, alias) in SwapModels)
        {
            AppendModel(yaml, id, reply, alias, upstreamDll);
        }

        AppendModel(yaml, PersistentModel.Id, PersistentModel.Reply, alias: null, upstreamDll);

        return yaml
            .AppendLine("groups:")
            .AppendLine("  demo:")
            .AppendLine("    swap: true")
            .AppendLine("    exclusive: true")
            .AppendLine($"    members: [{string.Join(", ", SwapModels.Select(m => m.Id))}]")
            .AppendLine("  always-on:")
            .AppendLine("    persistent: true")
            .AppendLine("    swap: false")
            .AppendLine("    exclusive: false")
            .AppendLine($"    members: [{PersistentModel.Id}]")
            .ToString();
    }

    public static IEnumerable<string> ModelIds => SwapModels.Select(m => m.Id).Append(PersistentModel.Id);

    private static void AppendModel(StringBuilder yaml, string id, string reply, string? alias, string upstreamDll)
    {
        yaml.AppendLine($"  {id}:")
            .AppendLine("    cmd: |")
            .AppendLine($"      dotnet {ShellQuote(upstreamDll)} --port ${{PORT}} --model {id} \\")
            .AppendLine($"        --respond {ShellQuote(reply)} \\")
            .AppendLine("        --chunks 8 --chunk-delay-ms 40 --startup-delay-ms 300")
            .AppendLine("    ttl: 300");
        if (alias is not null)
        {
            yaml.AppendLine($"    aliases: [{alias}]");
        }
    }

    /// <summary>Single quotes: the config's command splitter follows POSIX shell words, and inside them nothing but a quote is special.</summary>
    private static string ShellQuote(string word) => "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
