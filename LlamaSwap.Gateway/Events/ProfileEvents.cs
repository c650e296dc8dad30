using System.Text.Json.Serialization;

namespace LlamaSwap.Gateway.Events;

/// <summary>The <c>profileChanged</c> payload: <c>{"active":null|"name"}</c>.</summary>
internal sealed record ProfileChangedPayload([property: JsonPropertyName("active")] string? Active);

/// <summary>The <c>uiConfig</c> payload: <c>{"activity":{"session_id":[...]}}</c>.</summary>
internal sealed record UiConfigPayload([property: JsonPropertyName("activity")] UiActivityConfig Activity);

internal sealed record UiActivityConfig([property: JsonPropertyName("session_id")] IReadOnlyList<string> SessionId);
