using LlamaSwap.Core.Http;
using LlamaSwap.Core.Security;

namespace LlamaSwap.Gateway.Keys;

/// <summary>
/// Turns the auth proxy's signed <see cref="KeyClaimSigner.HeaderName"/> into the request's
/// <see cref="KeyClaim"/> feature, which the model policy and usage read, and removes the header so
/// nothing behind the gateway sees it. A request without one is anonymous (auth off, or a caller of
/// this internal port, which has full access anyway); one with a claim that does not verify (forged,
/// replayed, no secret configured here) is refused, so nobody can act as another key.
/// </summary>
internal sealed partial class KeyClaimMiddleware(RequestDelegate next, KeyClaimVerifier verifier, ILogger<KeyClaimMiddleware> logger)
{
    public Task InvokeAsync(HttpContext context)
    {
        var headers = context.Request.Headers;
        if (!headers.TryGetValue(KeyClaimSigner.HeaderName, out var values))
        {
            return next(context);
        }

        headers.Remove(KeyClaimSigner.HeaderName);
        string? problem;
        var claim = values.Count != 1 ? Refuse("more than one key claim", out problem)
            : verifier.Signer is not { } signer ? Refuse($"key claim received but {KeyClaimSigner.SecretSetting} is not set on the gateway", out problem)
            : signer.Verify(values[0]!, context.Request.Method, out problem);
        if (claim is null)
        {
            Log.ClaimRefused(logger, context.Request.Method, context.Request.Path.Value ?? "/", problem!);
            return ErrorResponses.WriteAsync(context, StatusCodes.Status401Unauthorized, "unauthorized: " + problem);
        }

        context.Features.Set(claim);
        return next(context);
    }

    private static KeyClaim? Refuse(string reason, out string? problem)
    {
        problem = reason;
        return null;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1700, Level = LogLevel.Warning, Message = "Refused {Method} {Path}: {Problem}")]
        public static partial void ClaimRefused(ILogger logger, string method, string path, string problem);
    }
}

/// <summary>The gateway's side of the key-claim secret; <see cref="Signer"/> is null when none is configured.</summary>
internal sealed class KeyClaimVerifier(IConfiguration configuration, TimeProvider time)
{
    public KeyClaimSigner? Signer { get; } = KeyClaimSigner.FromSetting(configuration[KeyClaimSigner.SecretSetting], time);
}
