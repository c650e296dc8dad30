using LlamaSwap.AppHost.Processes;
using LlamaSwap.AppHost.Redis;
using LlamaSwap.AppHost.Resources;
using LlamaSwap.Core.Configuration;

namespace LlamaSwap.AppHost.Run;

/// <summary>What a user needs once everything is up: the URLs and a request to copy.</summary>
internal static class Banner
{
    public static void Write(
        OutputMultiplexer output, IReadOnlyDictionary<string, int> ports, RedisPlan redis, string configPath, string? configDir, bool isDemo)
    {
        var (model, needsKey) = isDemo ? ("demo-small", false) : Inspect(configPath, configDir);
        var configSource = (configPath.Length > 0, configDir) switch
        {
            (true, null) => configPath,
            (true, { } dir) => $"{configPath} + {dir}/*.yaml",
            (false, { } dir) => $"{dir}/*.yaml",
            _ => "(none)",
        };
        var proxyPort = ports[AppModel.AuthProxy];
        var auth = needsKey ? " -H \"Authorization: Bearer $LLAMASWAP_API_KEY\"" : "";

        output.WriteRaw($"""

            LlamaSwap is running. Press Ctrl+C to stop.
              front door (OpenAI API):  http://localhost:{proxyPort}/v1
              gateway (llama-swap API): http://127.0.0.1:{ports[AppModel.Gateway]}
              supervisor (internal):    http://127.0.0.1:{ports[AppModel.Supervisor]}
              redis:                    {redis.Description}
              config:                   {configSource}{(isDemo ? " (demo)" : "")}

            Try:
              curl -N http://localhost:{proxyPort}/v1/chat/completions{auth} -H "Content-Type: application/json" \
                -d '{"{"}"model":"{model}","stream":true,"messages":[{"{"}"role":"user","content":"Hello!"{"}"}]{"}"}'
              curl http://localhost:{proxyPort}/v1/models{auth}


            """);
    }

    /// <summary>
    /// Best effort, only to fill in the example: the supervisor is what validates the config and
    /// reports its errors, so any failure here just falls back to a placeholder.
    /// </summary>
    private static (string Model, bool NeedsKey) Inspect(string configPath, string? configDir)
    {
        try
        {
            var config = ConfigLoader.LoadFiles(configPath.Length > 0 ? configPath : null, configDir).Config;
            var model = config?.Models.Values.FirstOrDefault(m => !m.Unlisted)?.Id ?? "MODEL";
            var needsKey = (config?.KeyDefinitions.Count ?? 0) > 0
                || Environment.GetEnvironmentVariable("API_KEYS") is { Length: > 0 }
                || Environment.GetEnvironmentVariable("LLAMASWAP_KEYS_FILE") is { Length: > 0 };
            return (model, needsKey);
        }
        catch (Exception)
        {
            return ("MODEL", false);
        }
    }
}
