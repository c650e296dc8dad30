namespace LlamaSwap.AppHost.Cli;

/// <summary>The command line is invalid; the message is shown above the usage text.</summary>
internal sealed class UsageException(string message) : Exception(message);
