namespace LlamaSwap.Cli.Download;

/// <summary>What the hub's refusals mean, in words a person can act on (its <c>X-Error-Code</c> header says which refusal it is).</summary>
internal sealed partial class HubClient
{
    private async Task<string> DescribeFailureAsync(HttpResponseMessage response, string repo, string revision, CancellationToken cancellationToken)
    {
        var code = ErrorCode(response);
        var status = (int)response.StatusCode;
        if (code == "GatedRepo" || (status == 403 && code is null))
        {
            return $"{repo} is gated: accept its terms at {RepoPage(repo)} and set HF_TOKEN to a token of that account";
        }

        if (code == "RevisionNotFound")
        {
            return $"revision '{revision}' not found in {repo}";
        }

        // The hub answers 401 rather than 404 for a repository it will not admit exists.
        if (code == "RepoNotFound" || (status is 401 or 404 && code is null))
        {
            var hint = settings.Token is null ? " (a private repository needs HF_TOKEN)" : " (or HF_TOKEN has no access to it)";
            return $"repository {repo} not found on {Base}{hint}";
        }

        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        return $"{Base} answered {status} {response.ReasonPhrase} listing {repo}@{revision}: {Shorten(body)}";
    }

    private static string HubErrorSuffix(HttpResponseMessage response)
        => response.Headers.TryGetValues("X-Error-Message", out var values) ? " (" + string.Join(' ', values) + ")" : "";

    private static string? ErrorCode(HttpResponseMessage response)
        => response.Headers.TryGetValues("X-Error-Code", out var values) ? values.FirstOrDefault() : null;

    private static string Shorten(string text)
    {
        var flat = text.ReplaceLineEndings(" ").Trim();
        return flat.Length <= 200 ? flat : flat[..200] + "...";
    }
}
