using System.Text;
using LlamaSwap.AuthProxy.Hardening;

namespace LlamaSwap.AuthProxy.Keys;

/// <summary>Finds the key a client presents (reference section 4).</summary>
internal static class ApiKeyExtractor
{
    public const string ApiKeyHeader = "x-api-key";

    /// <summary>
    /// First non-empty of: the Basic auth password (any user name, so browsers can use the
    /// login prompt), a Bearer token, the <c>x-api-key</c> header. Query strings are never read.
    /// </summary>
    public static string? Extract(IHeaderDictionary headers)
    {
        var authorization = headers.Authorization.ToString().Trim();
        if (TryScheme(authorization, "Basic", out var basic) && BasicPassword(basic) is { Length: > 0 } password)
        {
            return password;
        }

        if (TryScheme(authorization, "Bearer", out var bearer) && bearer.Length > 0)
        {
            return bearer;
        }

        var apiKey = headers[ApiKeyHeader].ToString();
        return apiKey.Length > 0 ? apiKey : null;
    }

    /// <summary>
    /// Credential headers that cannot be read one way only: the proxy refuses them rather than
    /// guess which key the client meant. Null when the headers are unambiguous (or absent).
    /// </summary>
    public static CredentialProblem? FindProblem(IHeaderDictionary headers)
    {
        if (headers.Authorization.Count > 1)
        {
            return new(StatusCodes.Status400BadRequest, "more than one Authorization header");
        }

        var apiKeyValues = headers[ApiKeyHeader];
        if (apiKeyValues.Count > 1)
        {
            return new(StatusCodes.Status400BadRequest, "more than one x-api-key header");
        }

        var authorization = headers.Authorization.ToString().Trim();
        string? fromAuthorization = null;
        if (TryScheme(authorization, "Basic", out var basic))
        {
            fromAuthorization = BasicPassword(basic);
            if (fromAuthorization is null)
            {
                return new(StatusCodes.Status401Unauthorized, "malformed Basic credentials");
            }
        }
        else if (TryScheme(authorization, "Bearer", out var bearer))
        {
            fromAuthorization = bearer;
        }

        var apiKey = apiKeyValues.ToString();
        if (!string.IsNullOrEmpty(fromAuthorization) && apiKey.Length > 0 && !string.Equals(fromAuthorization, apiKey, StringComparison.Ordinal))
        {
            return new(StatusCodes.Status400BadRequest, "Authorization and x-api-key carry different keys");
        }

        return null;
    }

    private static bool TryScheme(string authorization, string scheme, out string credentials)
    {
        if (authorization.Length > scheme.Length
            && authorization.StartsWith(scheme, StringComparison.OrdinalIgnoreCase)
            && authorization[scheme.Length] == ' ')
        {
            credentials = authorization[(scheme.Length + 1)..].Trim();
            return true;
        }

        credentials = "";
        return false;
    }

    private static string? BasicPassword(string encoded)
    {
        var buffer = new byte[encoded.Length];
        if (!Convert.TryFromBase64String(encoded, buffer, out var written))
        {
            return null;
        }

        var decoded = Encoding.UTF8.GetString(buffer, 0, written);
        var colon = decoded.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? null : decoded[(colon + 1)..];
    }
}
