namespace LlamaSwap.Cli;

internal static class ExitCodes
{
    public const int Success = 0;
    public const int Failure = 1;
    public const int Usage = 2;

    /// <summary><c>status</c> when nothing runs (the LSB init-script code for "not running").</summary>
    public const int NotRunning = 3;
}
