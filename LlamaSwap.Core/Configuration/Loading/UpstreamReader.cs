using System.Text.RegularExpressions;
using LlamaSwap.Core.Configuration.Yaml;

namespace LlamaSwap.Core.Configuration.Loading;

/// <summary>The top-level <c>upstream</c> section (reference 1.3, 2.5).</summary>
internal static class UpstreamReader
{
    /// <summary>Static assets a UI fetches: they must not start a model just by being requested.</summary>
    public const string DefaultIgnorePath = @".*\.(js|json|css|png|gif|jpg|jpeg|ico|txt)$";

    // The patterns run on every /upstream request path; a pathological one must not hang a request.
    private static readonly TimeSpan MatchTimeout = TimeSpan.FromMilliseconds(100);

    /// <summary>What applies when <c>upstream.ignorePaths</c> is absent or empty.</summary>
    public static IReadOnlyList<Regex> DefaultIgnorePaths { get; } = [new Regex(DefaultIgnorePath, RegexOptions.CultureInvariant, MatchTimeout)];

    public static IReadOnlyList<Regex> ReadIgnorePaths(ConfigNode? node, ValueReader values)
    {
        const string path = "upstream";
        var upstream = values.Mapping(node, path);
        var patterns = new List<Regex>();
        if (upstream is not null)
        {
            KnownKeys.WarnAboutIgnoredKeys(upstream, path, KnownKeys.Upstream, values.Diagnostics);
            var listPath = ConfigPath.Child(path, "ignorePaths");
            var items = values.StringList(upstream["ignorePaths"], listPath) ?? [];
            for (var i = 0; i < items.Count; i++)
            {
                if (Compile(items[i] ?? string.Empty, ConfigPath.Index(listPath, i), values.Diagnostics) is { } regex)
                {
                    patterns.Add(regex);
                }
            }

            if (items.Count > 0)
            {
                return patterns;
            }
        }

        // Absent or empty both mean the default, as in llama-swap.
        return DefaultIgnorePaths;
    }

    private static Regex? Compile(string pattern, string path, DiagnosticBag diagnostics)
    {
        try
        {
            return new Regex(pattern, RegexOptions.CultureInvariant, MatchTimeout);
        }
        catch (ArgumentException e)
        {
            diagnostics.Error(path, $"invalid regular expression \"{pattern}\": {e.Message}");
            return null;
        }
    }
}
