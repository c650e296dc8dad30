namespace LlamaSwap.AppHost.Processes;

/// <summary>An immutable description of a child process: argv, extra environment, working directory.</summary>
internal sealed record LaunchSpec
{
    public required string FileName { get; init; }

    public IReadOnlyList<string> Arguments { get; init; } = [];

    /// <summary>Added to (or replacing entries of) the AppHost's own environment.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Environment { get; init; } = [];

    public string? WorkingDirectory { get; init; }

    /// <summary>The command line as a shell would take it, for logs.</summary>
    public override string ToString() => string.Join(' ', Arguments.Prepend(FileName).Select(Quote));

    private static string Quote(string word) =>
        word.Length > 0 && !word.Any(c => char.IsWhiteSpace(c) || c is '\'' or '"' or '$') ? word : $"'{word.Replace("'", "'\\''", StringComparison.Ordinal)}'";
}
