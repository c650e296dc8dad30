namespace LlamaSwap.Cli.Download;

/// <summary>Where the Hugging Face Hub is and how to authenticate to it, from the same variables huggingface-cli reads.</summary>
internal sealed record HubSettings(Uri Endpoint, string? Token)
{
    public static readonly Uri DefaultEndpoint = new("https://huggingface.co");

    /// <summary>
    /// <c>HF_ENDPOINT</c> (default https://huggingface.co); the token from <c>HF_TOKEN</c>, else the
    /// file <c>huggingface-cli login</c> writes (<c>HF_TOKEN_PATH</c>, else <c>$HF_HOME/token</c>,
    /// else <c>~/.cache/huggingface/token</c>).
    /// </summary>
    public static HubSettings FromEnvironment(Func<string, string?> variable, string home, out string? error)
    {
        error = null;
        var endpoint = DefaultEndpoint;
        var configured = variable("HF_ENDPOINT");
        if (!string.IsNullOrWhiteSpace(configured))
        {
            if (!Uri.TryCreate(configured.Trim().TrimEnd('/'), UriKind.Absolute, out var parsed)
                || (parsed.Scheme != Uri.UriSchemeHttp && parsed.Scheme != Uri.UriSchemeHttps))
            {
                error = $"HF_ENDPOINT must be an absolute http(s) URL, got '{configured}'";
            }
            else
            {
                endpoint = parsed;
            }
        }

        return new HubSettings(endpoint, TokenFrom(variable, home, ref error));
    }

    private static string? TokenFrom(Func<string, string?> variable, string home, ref string? error)
    {
        var token = variable("HF_TOKEN");
        if (!string.IsNullOrWhiteSpace(token))
        {
            return token.Trim();
        }

        var file = variable("HF_TOKEN_PATH") is { Length: > 0 } path
            ? path
            : Path.Combine(variable("HF_HOME") is { Length: > 0 } hfHome ? hfHome : Path.Combine(home, ".cache", "huggingface"), "token");
        if (!File.Exists(file))
        {
            return null;
        }

        try
        {
            var stored = File.ReadAllText(file).Trim();
            return stored.Length > 0 ? stored : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            error ??= $"cannot read the Hugging Face token file {file}: {ex.Message}";
            return null;
        }
    }
}
