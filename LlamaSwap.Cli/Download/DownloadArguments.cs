using System.Text.RegularExpressions;

namespace LlamaSwap.Cli.Download;

/// <summary>The command line of <c>llamaswap download</c>, everything after the word <c>download</c>.</summary>
internal sealed partial record DownloadArguments
{
    public const string Usage = """
        usage: llamaswap download <owner/repo> [--include GLOB]... [--dir DIR] [--revision REV]
               llamaswap download --default-models [--dir DIR]

        Downloads files of a Hugging Face model repository: resumable, each file checked against the
        size and hash the hub lists.
          --include GLOB    only files whose path in the repository matches (repeatable); as with
                            huggingface-cli, * also crosses '/', ? is one character, [abc] a set.
                            Needed when the repository holds several GGUF quantizations.
          --dir DIR         where the files go (default ~/models/<repo-name>); with --default-models
                            the folder that gets one sub-folder per repository (default ~/models)
          --revision REV    branch, tag or commit (default main)
          --default-models  gpt-oss-120b, GLM-4.7-Flash, Qwen3-Coder-Next and nomic-embed-text-v1.5,
                            where examples/seed-models.yaml expects them
        Environment: HF_ENDPOINT (default https://huggingface.co), HF_TOKEN for gated or private repositories.
        """;

    public string? Repo { get; init; }

    public IReadOnlyList<string> Includes { get; init; } = [];

    public string? Dir { get; init; }

    public string Revision { get; init; } = "main";

    public bool DefaultModels { get; init; }

    public bool Help { get; init; }

    /// <summary>The parsed arguments, or null with <paramref name="error"/> saying what is wrong.</summary>
    public static DownloadArguments? Parse(IReadOnlyList<string> args, string home, out string? error)
    {
        error = null;
        string? repo = null, dir = null, revision = null;
        var includes = new List<string>();
        var defaults = false;
        for (var i = 0; i < args.Count && error is null; i++)
        {
            var arg = args[i];
            var (name, inline) = arg.StartsWith("--", StringComparison.Ordinal) && arg.IndexOf('=') is > 2 and var eq
                ? (arg[..eq], arg[(eq + 1)..])
                : (arg, null);
            switch (name)
            {
                case "-h" or "--help":
                    return new DownloadArguments { Help = true };
                case "--default-models":
                    defaults = true;
                    break;
                case "--include":
                    if (Value(args, ref i, name, inline, out var include, ref error))
                    {
                        includes.Add(include);
                    }

                    break;
                case "--dir":
                    if (Value(args, ref i, name, inline, out var folder, ref error))
                    {
                        dir = ExpandHome(folder, home);
                    }

                    break;
                case "--revision":
                    if (Value(args, ref i, name, inline, out var rev, ref error))
                    {
                        revision = rev;
                    }

                    break;
                case var option when option.StartsWith('-'):
                    error = $"unknown option '{arg}'";
                    break;
                case var positional when repo is null:
                    repo = positional;
                    break;
                default:
                    error = $"one repository at a time (got '{repo}' and '{arg}')";
                    break;
            }
        }

        error ??= defaults
            ? repo is not null || includes.Count > 0 || revision is not null
                ? "--default-models takes no repository, --include or --revision"
                : null
            : repo is null
                ? "which repository? e.g. llamaswap download ggml-org/gpt-oss-120b-GGUF"
                : !RepoName().IsMatch(repo)
                    ? $"'{repo}' is not a repository id (owner/name, as in https://huggingface.co/owner/name)"
                    : null;
        return error is not null
            ? null
            : new DownloadArguments { Repo = repo, Includes = includes, Dir = dir, Revision = revision ?? "main", DefaultModels = defaults };
    }

    private static bool Value(IReadOnlyList<string> args, ref int i, string name, string? inline, out string value, ref string? error)
    {
        value = inline ?? (i + 1 < args.Count ? args[++i] : "");
        if (value.Length == 0)
        {
            error = $"{name} needs a value";
            return false;
        }

        return true;
    }

    // The shell leaves "~" alone in "--dir=~/x".
    private static string ExpandHome(string path, string home)
        => path == "~" ? home : path.StartsWith("~/", StringComparison.Ordinal) ? Path.Combine(home, path[2..]) : path;

    [GeneratedRegex(@"^([A-Za-z0-9][A-Za-z0-9._-]*/)?[A-Za-z0-9][A-Za-z0-9._-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex RepoName();
}
