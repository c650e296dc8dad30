using LlamaSwap.Core.Configuration;
using LlamaSwap.Core.Security;

namespace LlamaSwap.Gateway.ClientAuth;

/// <summary>
/// Takes every client credential out of the request's headers before anything can copy them on, and
/// keeps the one that counts as the <see cref="ClientCredential"/> feature: with a verified key claim,
/// the key the auth proxy authenticated (its internal headers); without one (auth off, or a direct
/// caller as of plain llama-swap), the request's own <c>Authorization</c> and <c>x-api-key</c>.
/// Internal headers without a claim are dropped: nothing vouches for them. Runs after the key claim
/// is verified; the model pipeline puts the credential back where <c>forwardClientAuth</c> allows.
/// </summary>
internal sealed partial class ClientCredentialMiddleware(RequestDelegate next, ILogger<ClientCredentialMiddleware> logger)
{
    private int _warnedUnvouched;

    public Task InvokeAsync(HttpContext context)
    {
        var headers = context.Request.Headers;
        var handedOn = new ClientCredential(headers[ClientAuthForwarding.AuthorizationHeader], headers[ClientAuthForwarding.ApiKeyHeader]);
        var own = new ClientCredential(headers.Authorization, headers[ClientCredential.ApiKeyHeader]);
        headers.Remove(ClientAuthForwarding.AuthorizationHeader);
        headers.Remove(ClientAuthForwarding.ApiKeyHeader);
        headers.Remove("Authorization");
        headers.Remove(ClientCredential.ApiKeyHeader);

        ClientCredential credential;
        if (context.Features.Get<KeyClaim>() is not null)
        {
            credential = handedOn;
        }
        else
        {
            if (!handedOn.IsEmpty && Interlocked.Exchange(ref _warnedUnvouched, 1) == 0)
            {
                // The auth proxy hands a credential on beside a claim; without one its secret is missing here or there.
                Log.UnvouchedCredential(logger, KeyClaimSigner.SecretSetting);
            }

            credential = own;
        }

        if (!credential.IsEmpty)
        {
            context.Features.Set(credential);
        }

        return next(context);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1720, Level = LogLevel.Warning, Message = "A client credential arrived from the auth proxy without a key claim ({SecretSetting} unset on the proxy?): it is not forwarded to upstreams, whatever forwardClientAuth says")]
        public static partial void UnvouchedCredential(ILogger logger, string secretSetting);
    }
}
