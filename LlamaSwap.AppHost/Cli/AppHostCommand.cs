namespace LlamaSwap.AppHost.Cli;

/// <summary>What the command line asked for.</summary>
internal abstract record AppHostCommand;

internal sealed record HelpCommand : AppHostCommand;
