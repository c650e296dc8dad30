namespace LlamaSwap.Cli.Download;

/// <summary>A failure worth a clear message, not a stack trace; retrying will not help. Exit code 1, or 2 when the command line must change.</summary>
internal sealed class DownloadException(string message, int exitCode = 1) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}

/// <summary>The connection failed or the server hiccuped mid-way: the same request may succeed, resuming from the <c>.part</c>.</summary>
internal sealed class TransferInterruptedException(string message, Exception? inner = null) : Exception(message, inner);
