namespace LlamaSwap.AppHost.Cli;

/// <summary>Options of <c>publish</c>: write deployment artifacts instead of running.</summary>
internal sealed record PublishOptions : AppHostCommand
{
    public const string DefaultOutput = "publish";

    /// <summary>Absolute output directory.</summary>
    public required string OutputDirectory { get; init; }

    /// <summary>Absolute path of a config to copy next to the artifacts; null = keep or write an example.</summary>
    public string? ConfigPath { get; init; }
}
