using System.Net;
using System.Security.Cryptography.X509Certificates;

namespace LlamaSwap.Core.Hosting;

/// <summary>Asks a running front door what a user would meet, instead of guessing it from the config.</summary>
public static class FrontDoorProbe
{
    /// <summary>Whether <c>GET /v1/models</c> without a key is refused (401).</summary>
    /// <param name="certificate">The PEM certificate an HTTPS front door serves (trusted for this probe only).</param>
    public static async Task<bool> NeedsKeyAsync(string frontDoor, string? certificate, CancellationToken cancellationToken)
    {
        using var client = CreateClient(certificate);
        using var response = await client.GetAsync(frontDoor + "/v1/models", cancellationToken);
        return response.StatusCode == HttpStatusCode.Unauthorized;
    }

    /// <summary>An HTTP client that, given a PEM certificate, trusts exactly that one (self-signed included).</summary>
    public static HttpClient CreateClient(string? certificate, TimeSpan? timeout = null)
    {
        var handler = new SocketsHttpHandler();
        if (certificate is not null)
        {
            var trusted = X509Certificate2.CreateFromPem(File.ReadAllText(certificate));
            handler.SslOptions.RemoteCertificateValidationCallback = (_, presented, _, errors)
                => errors == System.Net.Security.SslPolicyErrors.None
                    || (presented is not null && presented.GetCertHashString() == trusted.GetCertHashString());
        }

        return new HttpClient(handler, disposeHandler: true) { Timeout = timeout ?? TimeSpan.FromSeconds(10) };
    }
}
