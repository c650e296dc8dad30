namespace LlamaSwap.AuthProxy.Hosting;

/// <summary>
/// The certificate Kestrel serves an <c>https://</c> listen URL with (<c>ASPNETCORE_URLS</c>), read by
/// Kestrel itself from <c>Kestrel:Certificates:Default</c>; bound here only to check it at start-up,
/// where Kestrel would fail on the first bind with a stack trace.
/// </summary>
internal sealed record TlsCertificateOptions
{
    public const string SectionName = "Kestrel:Certificates:Default";

    /// <summary>The certificate: a PEM file (with <see cref="KeyPath"/>) or a PKCS#12 file.</summary>
    public string? Path { get; init; }

    /// <summary>The PEM private key of <see cref="Path"/>.</summary>
    public string? KeyPath { get; init; }

    /// <summary>The password of an encrypted PEM key or a PKCS#12 file.</summary>
    public string? Password { get; init; }
}
