using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using LlamaSwap.Core.Configuration;

namespace LlamaSwap.Gateway.Models.Detail;

/// <summary>
/// <c>GET /api/models/config/{model}</c>: one model's effective config (macros expanded, defaults
/// applied) under llama-swap's config key names, secrets redacted (<see cref="SecretRedaction"/>).
/// </summary>
internal sealed record ModelConfigView
{
    [JsonPropertyName("id")]
    public required string Id { get; init; }

    [JsonPropertyName("name")]
    public string? Name { get; init; }

    [JsonPropertyName("description")]
    public string? Description { get; init; }

    [JsonPropertyName("aliases")]
    public IReadOnlyList<string> Aliases { get; init; } = [];

    [JsonPropertyName("cmd")]
    public required string Cmd { get; init; }

    [JsonPropertyName("cmdArgs")]
    public required IReadOnlyList<string> CmdArgs { get; init; }

    [JsonPropertyName("cmdStop")]
    public IReadOnlyList<string>? CmdStop { get; init; }

    [JsonPropertyName("proxy")]
    public required string Proxy { get; init; }

    /// <summary>Names in configured order; every value is <see cref="SecretRedaction.Redacted"/>.</summary>
    [JsonPropertyName("env")]
    public IReadOnlyList<string> Env { get; init; } = [];

    /// <summary><c>none</c> when health checking is off.</summary>
    [JsonPropertyName("checkEndpoint")]
    public required string CheckEndpoint { get; init; }

    [JsonPropertyName("ttl")]
    public int Ttl { get; init; }

    [JsonPropertyName("unloadTimeout")]
    public int UnloadTimeout { get; init; }

    [JsonPropertyName("healthCheckTimeout")]
    public int HealthCheckTimeout { get; init; }

    [JsonPropertyName("concurrencyLimit")]
    public int ConcurrencyLimit { get; init; }

    [JsonPropertyName("unlisted")]
    public bool Unlisted { get; init; }

    [JsonPropertyName("useModelName")]
    public string? UseModelName { get; init; }

    [JsonPropertyName("sendLoadingState")]
    public bool? SendLoadingState { get; init; }

    [JsonPropertyName("forwardClientAuth")]
    public bool? ForwardClientAuth { get; init; }

    [JsonPropertyName("filters")]
    public JsonObject? Filters { get; init; }

    [JsonPropertyName("metadata")]
    public JsonObject? Metadata { get; init; }

    [JsonPropertyName("capabilities")]
    public JsonObject? Capabilities { get; init; }

    [JsonPropertyName("timeouts")]
    public required JsonObject Timeouts { get; init; }

    [JsonPropertyName("group")]
    public string? Group { get; init; }

    [JsonPropertyName("disabledReason")]
    public string? DisabledReason { get; init; }

    public static ModelConfigView Of(LlamaSwapConfig config, ModelConfig model) => new()
    {
        Id = model.Id,
        Name = model.Name,
        Description = model.Description,
        Aliases = model.Aliases,
        Cmd = SecretRedaction.CommandText(model.CmdText),
        CmdArgs = SecretRedaction.Command(model.Command),
        CmdStop = model.StopCommand is null ? null : SecretRedaction.Command(model.StopCommand),
        Proxy = model.Proxy.ToString(),
        Env = [.. model.Env.Select(pair => $"{pair.Key}={SecretRedaction.Redacted}")],
        CheckEndpoint = model.CheckEndpoint ?? "none",
        Ttl = model.TtlSeconds,
        UnloadTimeout = model.UnloadTimeoutSeconds,
        HealthCheckTimeout = model.HealthCheckTimeoutSeconds,
        ConcurrencyLimit = model.ConcurrencyLimit,
        Unlisted = model.Unlisted,
        UseModelName = model.UseModelName,
        SendLoadingState = model.SendLoadingState,
        ForwardClientAuth = model.ForwardClientAuth,
        Filters = FiltersOf(model.Filters),
        // Copies: the config's nodes are shared and a node can have only one parent.
        Metadata = model.Metadata?.DeepClone().AsObject(),
        Capabilities = model.Capabilities is { } c ? new JsonObject
        {
            ["in"] = new JsonArray([.. c.In.Select(m => JsonValue.Create(m))]),
            ["out"] = new JsonArray([.. c.Out.Select(m => JsonValue.Create(m))]),
            ["tools"] = c.Tools,
            ["reranker"] = c.Reranker,
            ["context"] = c.Context,
        } : null,
        Timeouts = new JsonObject
        {
            ["connect"] = model.Timeouts.ConnectSeconds,
            ["keepalive"] = model.Timeouts.KeepAliveSeconds,
            ["responseHeader"] = model.Timeouts.ResponseHeaderSeconds,
            ["tlsHandshake"] = model.Timeouts.TlsHandshakeSeconds,
            ["expectContinue"] = model.Timeouts.ExpectContinueSeconds,
            ["idleConn"] = model.Timeouts.IdleConnSeconds,
        },
        Group = GroupName(config, model.Id),
        DisabledReason = model.DisabledReason,
    };

    private static JsonObject? FiltersOf(ModelFilters filters)
    {
        if (filters.IsEmpty)
        {
            return null;
        }

        var result = new JsonObject();
        if (filters.StripParams.Count > 0)
        {
            result["stripParams"] = string.Join(",", filters.StripParams);
        }

        if (filters.SetParams is { Count: > 0 } set)
        {
            result["setParams"] = set.DeepClone();
        }

        if (filters.SetParamsById.Count > 0)
        {
            result["setParamsByID"] = new JsonObject(filters.SetParamsById.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value.DeepClone())));
        }

        return result;
    }

    private static string? GroupName(LlamaSwapConfig config, string modelId)
    {
        foreach (var (name, group) in config.Groups)
        {
            if (group.Members.Contains(modelId))
            {
                return name;
            }
        }

        return null;
    }
}
