using System.Text.Json;
using System.Text.Json.Serialization;
using LlamaSwap.Core.Http;
using LlamaSwap.Gateway.Configuration;
using LlamaSwap.Gateway.Profiles;
using LlamaSwap.Gateway.Routing;

namespace LlamaSwap.Gateway.Api;

/// <summary><c>GET /api/profiles</c> and <c>PUT /api/profiles/active</c> (reference 2.3).</summary>
internal static class ProfilesApi
{
    public static IEndpointRouteBuilder MapProfilesApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapRoute(GatewayRoutes.Profiles, List);
        endpoints.MapRoute(GatewayRoutes.ActiveProfile, SetActiveAsync);
        return endpoints;
    }

    private static IResult List(ConfigHolder config, ActiveProfile active)
    {
        var snapshot = config.Current;
        var profiles = snapshot.Profiles.Values
            .OrderBy(p => p.Id, StringComparer.Ordinal)
            .Select(p => new ProfileEntry(p.Id, p.Description ?? string.Empty, p.Pins))
            .ToList();
        return Results.Json(new ProfileList(active.For(snapshot)?.Id, profiles), GatewayJson.Options);
    }

    private static async Task<IResult> SetActiveAsync(HttpContext context, ActiveProfile active)
    {
        JsonElement body;
        try
        {
            body = await JsonSerializer.DeserializeAsync<JsonElement>(context.Request.Body, cancellationToken: context.RequestAborted);
        }
        catch (JsonException)
        {
            return ErrorResponses.Result(StatusCodes.Status400BadRequest, "invalid profile request");
        }

        if (body.ValueKind != JsonValueKind.Object)
        {
            return ErrorResponses.Result(StatusCodes.Status400BadRequest, "invalid profile request");
        }

        if (!body.TryGetProperty("name", out var name))
        {
            return ErrorResponses.Result(StatusCodes.Status400BadRequest, "profile name is required");
        }

        string? requested;
        switch (name.ValueKind)
        {
            case JsonValueKind.Null:
                requested = null;
                break;
            case JsonValueKind.String:
                requested = name.GetString();
                break;
            default:
                return ErrorResponses.Result(StatusCodes.Status400BadRequest, "profile name must be a string or null");
        }

        if (!active.TrySet(requested))
        {
            return ErrorResponses.Result(StatusCodes.Status404NotFound, $"profile \"{requested}\" not found");
        }

        return Results.Json(new ActiveResponse(requested), GatewayJson.Options);
    }

    private sealed record ProfileList(
        [property: JsonPropertyName("active"), JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Active,
        [property: JsonPropertyName("profiles")] IReadOnlyList<ProfileEntry> Profiles);

    private sealed record ProfileEntry(
        [property: JsonPropertyName("id")] string Id,
        [property: JsonPropertyName("description")] string Description,
        [property: JsonPropertyName("pins"), JsonIgnore(Condition = JsonIgnoreCondition.Never)] IReadOnlyDictionary<string, string?> Pins);

    private sealed record ActiveResponse(
        [property: JsonPropertyName("active"), JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Active);
}
