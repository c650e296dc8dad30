using Microsoft.Extensions.Primitives;

namespace LlamaSwap.Gateway.ClientAuth;

/// <summary>
/// The credential the client presented (<c>Authorization</c> and <c>x-api-key</c>, exactly as sent),
/// held aside as a request feature once <see cref="ClientCredentialMiddleware"/> took it out of the
/// headers; put back only for an upstream whose <c>forwardClientAuth</c> is on.
/// </summary>
internal sealed record ClientCredential(StringValues Authorization, StringValues ApiKey)
{
    public const string ApiKeyHeader = "x-api-key";

    public bool IsEmpty => StringValues.IsNullOrEmpty(Authorization) && StringValues.IsNullOrEmpty(ApiKey);

    /// <summary>Sets both headers as the client sent them (every forwarder copies the request's headers).</summary>
    public void WriteTo(IHeaderDictionary headers)
    {
        if (!StringValues.IsNullOrEmpty(Authorization))
        {
            headers.Authorization = Authorization;
        }

        if (!StringValues.IsNullOrEmpty(ApiKey))
        {
            headers[ApiKeyHeader] = ApiKey;
        }
    }
}
