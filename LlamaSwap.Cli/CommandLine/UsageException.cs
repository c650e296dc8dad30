namespace LlamaSwap.Cli.CommandLine;

/// <summary>The command line is wrong: the message says how; the command exits with <see cref="ExitCodes.Usage"/>.</summary>
internal sealed class UsageException(string message) : Exception(message);
