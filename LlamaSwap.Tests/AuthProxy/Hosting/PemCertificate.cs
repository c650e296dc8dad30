using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace LlamaSwap.Tests.AuthProxy.Hosting;

/// <summary>A self-signed server certificate for 127.0.0.1, written as a PEM certificate and a PEM key file.</summary>
internal sealed class PemCertificate : IDisposable
{
    private readonly DirectoryInfo _directory;

    private PemCertificate(DirectoryInfo directory, string certificatePath, string keyPath, string thumbprint)
    {
        _directory = directory;
        CertificatePath = certificatePath;
        KeyPath = keyPath;
        Thumbprint = thumbprint;
    }

    public string CertificatePath { get; }

    public string KeyPath { get; }

    /// <summary>SHA-256 of the certificate, as <see cref="X509Certificate.GetCertHashString(HashAlgorithmName)"/> gives it.</summary>
    public string Thumbprint { get; }

    public string Directory => _directory.FullName;

    public static PemCertificate Create()
    {
        var directory = System.IO.Directory.CreateTempSubdirectory("llamaswap-tls-");
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));

        var certificatePath = Path.Combine(directory.FullName, "cert.pem");
        var keyPath = Path.Combine(directory.FullName, "key.pem");
        File.WriteAllText(certificatePath, certificate.ExportCertificatePem());
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
        return new PemCertificate(directory, certificatePath, keyPath, certificate.GetCertHashString(HashAlgorithmName.SHA256));
    }

    /// <summary>A client that trusts exactly this certificate (and nothing else, not even the system's roots).</summary>
    public HttpClient TrustingClient(Uri baseAddress, Action<X509Certificate?>? seen = null) => new(new SocketsHttpHandler
    {
        UseProxy = false,
        PooledConnectionLifetime = TimeSpan.Zero,
        SslOptions =
        {
            RemoteCertificateValidationCallback = (_, certificate, _, _) =>
            {
                seen?.Invoke(certificate);
                return certificate?.GetCertHashString(HashAlgorithmName.SHA256) == Thumbprint;
            },
        },
    })
    {
        BaseAddress = baseAddress,
        Timeout = TimeSpan.FromSeconds(20),
    };

    public void Dispose() => _directory.Delete(recursive: true);
}
