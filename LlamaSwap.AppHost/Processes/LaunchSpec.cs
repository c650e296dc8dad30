namespace LlamaSwap.AppHost.Processes;

/// <summary>An immutable description of a child process: argv, extra environment, working directory.</summary>
internal sealed record LaunchSpec
{
    public required string FileName { get; init; }

    public IReadOnlyList<string> Arguments { get; init; } = [];

    /// <summary>Added to (or replacing entries of) the AppHost's own environment.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Environment { get; init; } = [];

    public string? WorkingDirectory { get; init; }

    public override string ToString() => string.Join(' ', Arguments.Prepend(FileName));
}
