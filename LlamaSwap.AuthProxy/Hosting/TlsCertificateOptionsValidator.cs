using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using LlamaSwap.ServiceDefaults.Hosting;
using Microsoft.Extensions.Options;

namespace LlamaSwap.AuthProxy.Hosting;

/// <summary>The certificate and key files exist and load as a pair, so a bad one stops the proxy naming the file.</summary>
internal sealed class TlsCertificateOptionsValidator : IValidateOptions<TlsCertificateOptions>
{
    private const string PathKey = TlsCertificateOptions.SectionName + ":" + nameof(TlsCertificateOptions.Path);
    private const string KeyPathKey = TlsCertificateOptions.SectionName + ":" + nameof(TlsCertificateOptions.KeyPath);

    public ValidateOptionsResult Validate(string? name, TlsCertificateOptions options)
    {
        var checks = new SettingChecks()
            .ExistingFile(PathKey, options.Path)
            .ExistingFile(KeyPathKey, options.KeyPath);
        List<string> errors = [.. checks.Errors];
        if (string.IsNullOrWhiteSpace(options.Path))
        {
            if (!string.IsNullOrWhiteSpace(options.KeyPath))
            {
                errors.Add($"{Named(KeyPathKey)} is set without {Named(PathKey)}: the key needs its certificate");
            }
        }
        else if (errors.Count == 0 && !string.IsNullOrWhiteSpace(options.KeyPath) && LoadProblem(options) is { } problem)
        {
            errors.Add($"{Named(PathKey)} and {Named(KeyPathKey)}: {options.Path} with the key {options.KeyPath} cannot be loaded: {problem}");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static string? LoadProblem(TlsCertificateOptions options)
    {
        try
        {
            using var certificate = string.IsNullOrEmpty(options.Password)
                ? X509Certificate2.CreateFromPemFile(options.Path!, options.KeyPath)
                : X509Certificate2.CreateFromEncryptedPemFile(options.Path!, options.Password, options.KeyPath);
            return null;
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException or IOException or UnauthorizedAccessException)
        {
            return ex.Message;
        }
    }

    private static string Named(string key) => $"{key} ({key.Replace(":", "__", StringComparison.Ordinal)})";
}
