using LlamaSwap.Core.Configuration.Commands;
using LlamaSwap.Core.Configuration.Yaml;

namespace LlamaSwap.Core.Configuration.Loading;

/// <summary>Turns an expanded model subtree into a <see cref="ModelConfig"/> with defaults applied (reference 1.4).</summary>
internal sealed class ModelReader(ValueReader values, LlamaSwapConfig globals)
{
    private const int DefaultConcurrencyLimit = 10;
    private const int UseGlobalTtl = -1;

    private DiagnosticBag Diagnostics => values.Diagnostics;

    /// <summary>Returns null when the model has an error that leaves no usable value (already reported).</summary>
    public ModelConfig? Read(string id, MappingNode model)
    {
        var path = ConfigPath.Child("models", id);
        string P(string key) => ConfigPath.Child(path, key);

        var (cmdText, command) = ReadCommand(model, P("cmd"));
        var proxy = ReadProxy(model, P("proxy"));

        var ttl = values.Int(model["ttl"], P("ttl")) ?? UseGlobalTtl;
        if (ttl == UseGlobalTtl)
        {
            ttl = globals.GlobalTtlSeconds;
        }

        if (ttl < 0)
        {
            Diagnostics.Error(P("ttl"), $"ttl must be >= 0 (or -1 for globalTTL), got {ttl}");
        }

        var unloadTimeout = values.Int(model["unloadTimeout"], P("unloadTimeout")) ?? 0;
        if (unloadTimeout < 0)
        {
            Diagnostics.Error(P("unloadTimeout"), $"unloadTimeout must be >= 0, got {unloadTimeout}");
        }

        var concurrencyLimit = values.Int(model["concurrencyLimit"], P("concurrencyLimit")) ?? 0;
        if (concurrencyLimit < 0)
        {
            Diagnostics.Error(P("concurrencyLimit"), $"concurrencyLimit must be >= 0, got {concurrencyLimit}");
        }

        // Read before the early return so their errors are reported alongside a broken cmd's.
        var filters = FilterReader.Read(model["filters"], P("filters"), values);
        var metadata = JsonNodeConverter.ReadObject(model["metadata"], P("metadata"), values);
        var capabilities = CapabilitiesReader.Read(model["capabilities"], P("capabilities"), values);
        var timeouts = TimeoutsReader.Read(model["timeouts"], P("timeouts"), KnownKeys.ModelTimeouts, new UpstreamTimeouts(), values);
        var ignoreWebsockets = CompatReader.ReadIgnoreWebsockets(id, model["compat"], P("compat"), values);

        if (command is null || proxy is null)
        {
            return null;
        }

        var stopCommand = ReadStopCommand(model, P("cmdStop"));
        var unloadTimeoutSeconds = unloadTimeout <= 0 ? globals.UnloadTimeoutSeconds : unloadTimeout;
        if (stopCommand is null)
        {
            WarnIfContainerRun(command, unloadTimeoutSeconds, P("cmd"));
        }

        return new ModelConfig
        {
            Id = id,
            CmdText = cmdText,
            Command = command,
            StopCommand = stopCommand,
            Proxy = proxy,
            Aliases = FilterReader.WithSetParamsByIdAliases(ReadAliases(model, P("aliases")), id, filters),
            Env = ReadEnv(model, P("env")),
            CheckEndpoint = ReadCheckEndpoint(model, P("checkEndpoint")),
            TtlSeconds = ttl,
            UnloadTimeoutSeconds = unloadTimeoutSeconds,
            HealthCheckTimeoutSeconds = globals.HealthCheckTimeoutSeconds,
            UseModelName = NullIfEmpty(values.String(model["useModelName"], P("useModelName"))),
            Unlisted = values.Bool(model["unlisted"], P("unlisted")) ?? false,
            Name = NullIfEmpty(values.String(model["name"], P("name"))?.Trim()),
            Description = NullIfEmpty(values.String(model["description"], P("description"))?.Trim()),
            ConcurrencyLimit = EffectiveConcurrencyLimit(id, concurrencyLimit),
            SendLoadingState = values.Bool(model["sendLoadingState"], P("sendLoadingState")),
            ForwardClientAuth = values.Bool(model["forwardClientAuth"], P("forwardClientAuth")),
            OpenAiOnly = values.Bool(model["openaiOnly"], P("openaiOnly")) ?? false,
            Filters = filters,
            Metadata = metadata,
            Capabilities = capabilities,
            Timeouts = timeouts,
            IgnoreWebsockets = ignoreWebsockets,
        };
    }

    /// <summary>The configured limit, 10 when unset; at least 50 for <c>comfyui_auto</c>, whose page loads many assets at once.</summary>
    private static int EffectiveConcurrencyLimit(string id, int configured)
    {
        var limit = configured <= 0 ? DefaultConcurrencyLimit : configured;
        return id == ModelConfig.ComfyUiModelId ? Math.Max(limit, ModelConfig.ComfyUiMinConcurrencyLimit) : limit;
    }

    private (string Text, IReadOnlyList<string>? Argv) ReadCommand(MappingNode model, string path)
    {
        var text = CommandLine.JoinContinuations(values.String(model["cmd"], path) ?? string.Empty);
        if (text.Length == 0 && model["cmd"] is not (null or ScalarNode))
        {
            return (text, null);
        }

        if (text.Length == 0)
        {
            Diagnostics.Error(path, "cmd is required and must not be empty");
            return (text, null);
        }

        if (!ShellWords.TrySplit(text, out var argv, out var error))
        {
            Diagnostics.Error(path, $"cannot split cmd into arguments: {error}");
            return (text, null);
        }

        return (text, argv);
    }

    private IReadOnlyList<string>? ReadStopCommand(MappingNode model, string path)
    {
        var text = CommandLine.JoinContinuations(values.String(model["cmdStop"], path) ?? string.Empty);
        if (text.Length == 0)
        {
            return null;
        }

        // llama-swap falls back to SIGTERM when cmdStop cannot be parsed, so this must not block loading.
        if (!ShellWords.TrySplit(text, out var argv, out var error) || argv.Count == 0)
        {
            Diagnostics.Warning(path, $"cannot split cmdStop into arguments ({error ?? "empty"}); SIGTERM will be used instead");
            return null;
        }

        return argv;
    }

    /// <summary>
    /// Without cmdStop the supervisor stops a model by signalling its process group: for a container
    /// that is the client, which passes SIGTERM on (its signal proxy) but cannot pass on the SIGKILL
    /// that follows when the container is slow to exit.
    /// </summary>
    private void WarnIfContainerRun(IReadOnlyList<string> command, int unloadTimeoutSeconds, string path)
    {
        if (ContainerRun.ClientOf(command) is not { } client)
        {
            return;
        }

        Diagnostics.Warning(path,
            $"cmd runs a container but has no cmdStop: stopping the model signals the {client} client, not the container. "
            + $"The client passes SIGTERM on, but when the container has not exited within unloadTimeout ({unloadTimeoutSeconds} s) "
            + "the client is killed with SIGKILL, which it cannot pass on, and the container keeps running after the swap, "
            + $"holding its port and memory; add `cmdStop: {client} stop ${{MODEL_ID}}` (with `--name ${{MODEL_ID}}` in cmd)");
    }

    private Uri? ReadProxy(MappingNode model, string path)
    {
        var text = values.String(model["proxy"], path)?.Trim();
        if (text is null)
        {
            return null;
        }

        if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
        {
            return uri;
        }

        // The ${PORT} case was already reported with a more useful message.
        if (!text.Contains("${", StringComparison.Ordinal))
        {
            Diagnostics.Error(path, $"proxy must be an absolute http(s) URL, got \"{text}\"");
        }

        return null;
    }

    private List<string> ReadAliases(MappingNode model, string path)
    {
        var aliases = new List<string>();
        var items = values.StringList(model["aliases"], path) ?? [];
        for (var i = 0; i < items.Count; i++)
        {
            var alias = items[i]?.Trim();
            if (string.IsNullOrEmpty(alias))
            {
                Diagnostics.Error(ConfigPath.Index(path, i), "alias must not be empty");
                continue;
            }

            aliases.Add(alias);
        }

        return aliases;
    }

    private List<KeyValuePair<string, string>> ReadEnv(MappingNode model, string path)
    {
        var env = new List<KeyValuePair<string, string>>();
        var items = values.StringList(model["env"], path) ?? [];
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i] ?? string.Empty;
            var separator = item.IndexOf('=', StringComparison.Ordinal);
            if (separator <= 0)
            {
                Diagnostics.Error(ConfigPath.Index(path, i), $"expected NAME=value, got \"{item}\"");
                continue;
            }

            env.Add(new KeyValuePair<string, string>(item[..separator], item[(separator + 1)..]));
        }

        return env;
    }

    private string? ReadCheckEndpoint(MappingNode model, string path)
    {
        var endpoint = values.String(model["checkEndpoint"], path)?.Trim();
        return endpoint switch
        {
            null or "" => "/health",
            "none" => null,
            _ => endpoint,
        };
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
