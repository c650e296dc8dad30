using LlamaSwap.Core.Http;
using Microsoft.Net.Http.Headers;

namespace LlamaSwap.Gateway.Api;

/// <summary>
/// The answers of the unload endpoints. llama-swap answers <c>GET /unload</c> and
/// <c>POST /api/models/unload/{model}</c> with the text <c>OK</c> and <c>POST /api/models/unload</c>
/// with <c>{"msg":"ok"}</c>; its clients get exactly that. A client whose <c>Accept</c> names
/// <c>application/json</c> gets <c>{"msg":"ok"}</c> from all three, and its errors as JSON whatever
/// else the header lists (axios sends <c>application/json, text/plain, */*</c>, which would otherwise
/// pick the text error).
/// </summary>
internal static class UnloadResults
{
    private const string JsonMediaType = "application/json";

    /// <summary>Success: <c>{"msg":"ok"}</c> when the endpoint answers JSON or the client asks for it, else <c>OK</c>.</summary>
    public static IResult Ok(HttpRequest request, bool jsonByDefault)
        => jsonByDefault || AsksForJson(request) ? Results.Json(new { msg = "ok" }) : Results.Text("OK");

    /// <summary>An error in the llama-swap envelope: per <c>Accept</c> as everywhere, but always JSON when the client asks for JSON.</summary>
    public static IResult Error(HttpRequest request, int statusCode, string message, string? code = null)
    {
        if (!AsksForJson(request))
        {
            return ErrorResponses.Result(statusCode, message, code);
        }

        var payload = ErrorResponses.Format(statusCode, message, JsonMediaType, code);
        return Results.Content(payload.Body, payload.ContentType, statusCode: statusCode);
    }

    /// <summary>Whether <c>Accept</c> lists <c>application/json</c> (with a quality above zero); <c>*/*</c> alone does not count.</summary>
    public static bool AsksForJson(HttpRequest request)
        => MediaTypeHeaderValue.TryParseList(request.Headers.Accept, out var accepted)
           && accepted.Any(type => type.MediaType.Equals(JsonMediaType, StringComparison.OrdinalIgnoreCase) && type.Quality is not 0);
}
